"""The site's stylesheets lay out by writing direction, not by physical side: with logical
properties (`margin-inline-start`, not `margin-left`) a right-to-left page (Arabic) mirrors
by itself. A physical side in a declaration is a layout that would not mirror."""

import re
from pathlib import Path

import pytest
from django.conf import settings

STYLESHEETS = sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))
DECLARATION = re.compile(r"(?<![-\w])([a-z-]+)\s*:\s*([^;{}]+)")
PHYSICAL_PROPERTY = re.compile(r"^(margin|padding|border)-(left|right)(-\w+)?$|^(left|right)$")
PHYSICAL_VALUE = {"text-align": {"left", "right"}, "float": {"left", "right"}, "clear": {"left", "right"}}


def physical_sides(css):
    """(line, declaration) of each declaration that names a physical side."""
    found = []
    css = re.sub(r"/\*.*?\*/", lambda comment: "\n" * comment.group().count("\n"), css, flags=re.S)
    for number, line in enumerate(css.splitlines(), start=1):
        for name, value in DECLARATION.findall(line):
            value = value.strip()
            if PHYSICAL_PROPERTY.match(name) or value in PHYSICAL_VALUE.get(name, ()):
                found.append((number, f"{name}: {value}"))
            elif name in {"margin", "padding"} and len(value.split()) == 4:
                _top, right, _bottom, left = value.split()
                if right != left:  # four values set the left and right sides apart
                    found.append((number, f"{name}: {value}"))
    return found


def test_there_are_stylesheets_to_check():
    assert any(path.name == "casebook.css" for path in STYLESHEETS)


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_stylesheets_use_logical_sides_so_right_to_left_pages_mirror(path):
    assert physical_sides(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_physical_sides():
    css = (
        ".a { margin-left: 1rem; left: 0; text-align: right; padding: 0 1rem 0 2rem; }\n"
        ".b { margin: 0 1rem; padding-inline: 1rem 0; }"
    )

    assert physical_sides(css) == [
        (1, "margin-left: 1rem"),
        (1, "left: 0"),
        (1, "text-align: right"),
        (1, "padding: 0 1rem 0 2rem"),
    ]
