"""Every message of the interface is translated in every language of settings.LANGUAGES, none
fuzzy, with the same placeholders as the English (msgfmt --check), and the compiled catalogue
that Django reads (.mo) says what the .po says.

The catalogues are read by the functions of `manage.py translation_status`, which also counts
the entries a fluent speaker has reviewed (a `# reviewed` translator comment; README,
"Languages"). All six catalogues are held to the same rules.

Two tests extract the messages from the code as `makemessages` does (in a copy of the project,
so the real .po files are untouched) and need GNU gettext, which .ci/run installs.
"""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

from catalogue.management.commands.translation_status import (
    catalogue_path,
    is_translated,
    messages,
    read_po,
    status,
    unfinished,
)
from tests.browser.conftest import running_in_ci

PROJECT = Path(__file__).resolve().parent.parent


def language_params(languages):
    return [pytest.param(code, id=code) for code in languages]


ALL_LANGUAGES = language_params([code for code, _name in settings.LANGUAGES])
# The messages are written in English: its catalogue needs no translation.
TRANSLATED_LANGUAGES = language_params(
    [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
)


def gettext_tools(*tools):
    if all(shutil.which(tool) for tool in tools):
        return
    message = f"GNU gettext ({', '.join(tools)}) is not installed"
    if running_in_ci():
        pytest.fail(message + "; .ci/run installs it")
    pytest.skip(message + "; on Debian: apt install gettext")


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_every_interface_language_has_a_catalogue(language):
    assert catalogue_path(language).exists()


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_message_in_the_catalogue_is_translated(language):
    assert unfinished(read_po(catalogue_path(language))) == []


def msgfmt_check(po):
    """What `msgfmt --check` says of a .po: a translation that drops or renames a %(name)s or
    {name} placeholder, or a malformed header, is an error (exit status 1)."""
    gettext_tools("msgfmt")
    return subprocess.run(
        [shutil.which("msgfmt"), "--check", "--output-file=/dev/null", str(po)],
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_translations_keep_the_placeholders_of_the_english(language):
    result = msgfmt_check(catalogue_path(language))

    assert result.returncode == 0, result.stderr


def test_the_placeholder_check_finds_a_dropped_placeholder(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "%(count)s cases"\nmsgstr "des cas"\n',
        encoding="utf-8",
    )

    result = msgfmt_check(po)

    assert result.returncode == 1
    assert "argument 'count' doesn't exist in 'msgstr'" in result.stderr


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_the_compiled_catalogue_matches_the_po(language):
    """Compares content, not file times (a checkout sets those): a .po edited without running
    compilemessages shows here."""
    expected = {}
    for entry in messages(read_po(catalogue_path(language))):
        if not is_translated(entry):
            continue  # msgfmt leaves these out, and Django shows the English
        key = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            expected[key] = entry["msgstr"][0]
        else:
            expected.update({(key, form): text for form, text in enumerate(entry["msgstr"])})
    compiled_path = catalogue_path(language).with_suffix(".mo")
    assert compiled_path.exists(), f"run: manage.py compilemessages -l {to_locale(language)}"
    with compiled_path.open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    catalog.pop("", None)  # the header

    assert catalog == expected


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A copy of the project whose catalogues `makemessages` has updated from the code today."""
    gettext_tools("xgettext", "msgmerge")
    copy = tmp_path_factory.mktemp("extracted") / "project"
    shutil.copytree(
        PROJECT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "__pycache__", "*.sqlite3", "staticfiles", "test-artifacts", ".*_cache"
        ),
    )
    locales = [f"-l{to_locale(code)}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            *locales,
            "--ignore=.venv",
            "--ignore=bench",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return copy


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_message_in_the_code_has_a_translation(extracted, language):
    """A new or changed string in the code shows here, untranslated or fuzzy, until someone
    runs makemessages, translates it and runs compilemessages (see README, "Languages")."""
    po = extracted / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"

    assert unfinished(read_po(po)) == []


def test_a_reviewed_comment_marks_an_entry_reviewed_until_it_turns_fuzzy(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '# reviewed\n#: templates/base.html:20\nmsgid "Initiatives"\nmsgstr "Initiatives"\n\n'
        '#: templates/base.html:21\nmsgid "Organisations"\nmsgstr "Organisations"\n\n'
        '# reviewed\n#, fuzzy\nmsgid "Sources"\nmsgstr "Source"\n\n'
        'msgid "Sectors"\nmsgstr ""\n',
        encoding="utf-8",
    )

    assert status(read_po(po)) == {"messages": 4, "translated": 2, "fuzzy": 1, "missing": 1, "reviewed": 1}
