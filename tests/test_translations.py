"""Every message of the interface has a Chinese translation, and the compiled catalogue that
Django reads (.mo) says what the .po says.

The last test extracts the messages from the code as `makemessages` does (in a copy of the
project, so the real .po is untouched) and needs GNU gettext, which .ci/run installs.
"""

import ast
import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import running_in_ci

PROJECT = Path(__file__).resolve().parent.parent
CHINESE = PROJECT / "locale" / "zh_Hans" / "LC_MESSAGES"


def read_po(path):
    """The entries of a .po file, obsolete ones left out, each as a dict with `msgctxt`,
    `msgid`, `msgid_plural`, `msgstr` (a list: one per plural form) and `fuzzy`."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line or line.startswith("#~"):
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": [], "fuzzy": False}
        if line.startswith("#,") and "fuzzy" in [flag.strip() for flag in line[2:].split(",")]:
            entry["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += text
            else:
                entry[field] += text
        else:
            keyword, value = line.split(" ", 1)
            text = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                field = "msgstr"
                entry["msgstr"].append(text)
            else:
                field = keyword
                entry[field] = text
    return [entry for entry in entries if entry["msgstr"]]  # not a block of comments only


def unfinished(entries):
    """The messages with no translation, or one that msgmerge only guessed (fuzzy)."""
    return [
        ("fuzzy: " if entry["fuzzy"] else "untranslated: ") + entry["msgid"]
        for entry in entries
        if entry["msgid"] and (entry["fuzzy"] or not all(entry["msgstr"]))
    ]


def test_every_message_in_the_chinese_catalogue_is_translated():
    assert unfinished(read_po(CHINESE / "django.po")) == []


def test_the_compiled_chinese_catalogue_matches_the_po():
    """Compares content, not file times (a checkout sets those): a .po edited without running
    compilemessages shows here."""
    expected = {}
    for entry in read_po(CHINESE / "django.po"):
        if not entry["msgid"] or entry["fuzzy"] or not all(entry["msgstr"]):
            continue  # msgfmt leaves these out, and Django shows the English
        key = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            expected[key] = entry["msgstr"][0]
        else:
            expected.update({(key, form): text for form, text in enumerate(entry["msgstr"])})
    with (CHINESE / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    catalog.pop("", None)  # the header

    assert catalog == expected


@pytest.fixture
def extracted_po(tmp_path):
    """The Chinese .po as `manage.py makemessages` leaves it after reading the code today."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        message = "GNU gettext (xgettext, msgmerge) is not installed"
        if running_in_ci():
            pytest.fail(message + "; .ci/run installs it")
        pytest.skip(message + "; on Debian: apt install gettext")
    copy = tmp_path / "project"
    shutil.copytree(
        PROJECT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "__pycache__", "*.sqlite3", "staticfiles", "test-artifacts", ".*_cache"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--ignore=.venv", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_in_the_code_has_a_chinese_translation(extracted_po):
    """A new or changed string in the code shows here, untranslated or fuzzy, until someone
    runs makemessages, translates it and runs compilemessages (see README, "Translations")."""
    assert unfinished(read_po(extracted_po)) == []
