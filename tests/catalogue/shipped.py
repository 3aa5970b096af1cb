"""The shipped fixtures and the seed documents, read from their files: the provenance tests
check what is shipped, whatever a database holds."""

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def normalised(text):
    """Text with its spacing (and Markdown bold marks) evened out, for verbatim comparisons."""
    return " ".join(text.replace("**", "").split())


def fixture_files(named=False):
    """The content of each fixture file (with `named`, as (file name, content))."""
    for path in sorted((FIXTURES / "catalogue").glob("*.json")):
        content = json.loads(path.read_text("utf-8"))
        yield (path.name, content) if named else content


def entries(section):
    """Every entry of `section` ("initiatives", "sectors", …) in the fixture files."""
    for content in fixture_files():
        yield from content.get(section, [])


def seed_texts():
    """{source slug: its seed document's text, normalised}."""
    return {
        source["slug"]: normalised((FIXTURES / "seeds" / source["file_name"]).read_text("utf-8"))
        for source in entries("sources")
    }


SEEDS = seed_texts()
INITIATIVES = list(entries("initiatives"))


def cited_seeds(initiative):
    """The normalised texts of the seeds `initiative` cites."""
    return [SEEDS[citation["source"]] for citation in initiative["citations"]]


def found_in(text, initiative):
    """Whether `text` is, word for word (spacing aside), in a seed `initiative` cites."""
    return bool(text.strip()) and any(normalised(text) in seed for seed in cited_seeds(initiative))
