"""`manage.py translation_status`: for each interface language, how many messages of its
catalogue (locale/<locale>/LC_MESSAGES/django.po) are translated, fuzzy, missing, and reviewed.

Reviewed: a translator comment line `# reviewed` directly above an entry says a fluent speaker
has checked its translation (makemessages and msgmerge keep translator comments). An entry that
turns fuzzy, its English having changed, is no longer counted as reviewed. The tests
(tests/test_translations.py) read the catalogues with the same functions.
"""

import ast
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import to_locale

REVIEWED = "# reviewed"


def catalogue_path(language_code):
    """The .po file of an interface language ("zh-hans" → locale/zh_Hans/LC_MESSAGES/django.po)."""
    return Path(settings.LOCALE_PATHS[0]) / to_locale(language_code) / "LC_MESSAGES" / "django.po"


def read_po(path):
    """The entries of a .po file, obsolete ones left out, each as a dict with `msgctxt`,
    `msgid`, `msgid_plural`, `msgstr` (a list: one per plural form), `fuzzy` and `reviewed`."""
    entries, entry, field = [], None, None
    for line in [*Path(path).read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line or line.startswith("#~"):
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {
                "msgctxt": None,
                "msgid": "",
                "msgid_plural": None,
                "msgstr": [],
                "fuzzy": False,
                "reviewed": False,
            }
        if line.startswith("#,") and "fuzzy" in [flag.strip() for flag in line[2:].split(",")]:
            entry["fuzzy"] = True
        elif line == REVIEWED:
            entry["reviewed"] = True
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


def messages(entries):
    """The entries that are messages (the header, with an empty msgid, is not one)."""
    return [entry for entry in entries if entry["msgid"]]


def is_translated(entry):
    return not entry["fuzzy"] and all(entry["msgstr"])


def unfinished(entries):
    """The messages with no translation, or one that msgmerge only guessed (fuzzy)."""
    return [
        ("fuzzy: " if entry["fuzzy"] else "untranslated: ") + entry["msgid"]
        for entry in messages(entries)
        if not is_translated(entry)
    ]


def status(entries):
    """{"messages", "translated", "fuzzy", "missing", "reviewed"}: counts for one catalogue."""
    found = messages(entries)
    return {
        "messages": len(found),
        "translated": sum(is_translated(entry) for entry in found),
        "fuzzy": sum(entry["fuzzy"] for entry in found),
        "missing": sum(not entry["fuzzy"] and not all(entry["msgstr"]) for entry in found),
        "reviewed": sum(is_translated(entry) and entry["reviewed"] for entry in found),
    }


class Command(BaseCommand):
    help = "Per interface language: messages translated, fuzzy, missing and reviewed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list",
            dest="show",
            choices=["missing", "fuzzy", "unreviewed"],
            help="also list these messages of each catalogue",
        )
        parser.add_argument("--language", help="only this language, e.g. fr")

    def handle(self, *args, show=None, language=None, **options):
        columns = ["messages", "translated", "fuzzy", "missing", "reviewed"]
        self.stdout.write(f"{'language':<10}" + "".join(f"{column:>12}" for column in columns))
        for code, _name in settings.LANGUAGES:
            if language and code != language:
                continue
            if code == settings.LANGUAGE_CODE:
                self.stdout.write(f"{code:<10}  the messages are written in it: nothing to translate")
                continue
            path = catalogue_path(code)
            if not path.exists():
                self.stdout.write(f"{code:<10}  no catalogue at {path}")
                continue
            entries = read_po(path)
            counts = status(entries)
            self.stdout.write(f"{code:<10}" + "".join(f"{counts[column]:>12}" for column in columns))
            if show:
                for entry in messages(entries):
                    wanted = {
                        "missing": not entry["fuzzy"] and not all(entry["msgstr"]),
                        "fuzzy": entry["fuzzy"],
                        "unreviewed": is_translated(entry) and not entry["reviewed"],
                    }[show]
                    if wanted:
                        self.stdout.write(f"    {entry['msgid']}")
