"""`{% translate %}` of a constant message is remembered per language (casebook/remembered_i18n.py)
and still answers every reader in their own language."""

from unittest import mock

import pytest
from django.template import engines
from django.utils import translation

from casebook import remembered_i18n
from tests import factories

pytestmark = pytest.mark.django_db


def render(source, language, **context):
    template = engines["django"].from_string("{% load i18n %}" + source)
    with translation.override(language):
        return template.render(context)


def test_the_case_page_answers_each_reader_in_their_language_however_the_readers_alternate(client, uncached):
    factories.make_initiative(slug="snow-leopard-counts")
    headings = {}
    for language in ["en", "fr", "zh-hans", "en", "ar", "fr"]:
        with translation.override(language):
            expected = (translation.gettext("Summary"), translation.gettext("Sources"))
        page = client.get("/initiatives/snow-leopard-counts/", headers={"Accept-Language": language})
        html = page.content.decode()
        assert all(f">{heading}</h2>" in html for heading in expected), language
        headings[language] = expected
    assert len(set(headings.values())) == 4  # four languages, four translations


def test_a_constant_message_is_looked_up_once_per_language_and_template():
    template = engines["django"].from_string('{% load i18n %}{% translate "Summary" %}')
    with mock.patch.object(remembered_i18n.i18n.TranslateNode, "render", autospec=True) as lookup:
        lookup.side_effect = lambda node, context: f"looked up in {translation.get_language()}"
        for language in ["fr", "fr", "es", "fr", "es"]:
            with translation.override(language):
                assert template.render({}) == f"looked up in {language}"
    assert lookup.call_count == 2


def test_variables_filters_and_contexts_are_translated_every_time():
    template = (
        '{% translate message %}|{% translate "Summary"|upper %}|{% translate "Summary" context where %}'
    )
    first = render(template, "fr", message="Sources", where="heading")
    second = render(template, "fr", message="Summary", where="heading")
    with translation.override("fr"):
        assert first.split("|")[0] == translation.gettext("Sources")
        assert second.split("|")[0] == translation.gettext("Summary")
        assert first.split("|")[1] == translation.gettext("Summary").upper()


def test_a_change_of_language_settings_forgets_what_was_remembered(settings):
    template = engines["django"].from_string('{% load i18n %}{% translate "Summary" %}')
    with mock.patch.object(remembered_i18n.i18n.TranslateNode, "render", autospec=True) as lookup:
        lookup.return_value = "Résumé"
        with translation.override("fr"):
            template.render({})
            template.render({})
            settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
            template.render({})
    assert lookup.call_count == 2


def test_the_engine_still_reports_two_tag_libraries_of_one_name():
    """The i18n replacement is the one duplicate name the template check allows."""
    engine = engines["django"]
    assert engine.check() == []
    libraries = {**engine.engine.libraries, "browse": "casebook.template_builtins"}
    with mock.patch.object(engine.engine, "libraries", libraries):
        assert [warning.id for warning in engine.check()] == ["templates.W003"]
