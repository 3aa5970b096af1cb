"""A search result's card shows its title and snippet in the language whose text matched, the
matched words marked, with `lang` saying which (issue 15); on PostgreSQL from its headlines, on
SQLite from the words of the search."""

import re

import pytest
from django.conf import settings

from catalogue.models import TextOrigin
from tests.catalogue.test_scale import LIST_QUERIES

pytestmark = pytest.mark.django_db

LIST = "/initiatives/"


@pytest.fixture
def french_case(make_initiative):
    return make_initiative(
        slug="reading-buddy",
        title="Reading Buddy",
        summary="Reads stories aloud to children at bedtime.",
        title_fr="Compagnon de lecture",
        summary_fr="Lit des histoires à voix haute aux enfants.",
        text_origins={"fr": TextOrigin.PARTNER},
    )


@pytest.fixture
def chinese_case(make_initiative):
    return make_initiative(
        slug="snow-leopard",
        title="Snow leopard monitoring",
        summary="Camera traps follow the big cats across the plateau.",
        title_zh="雪豹监测",
        summary_zh="红外相机追踪高原上的雪豹。",
        text_origins={"zh-hans": TextOrigin.SOURCE},
    )


def card(html, slug):
    """The HTML of the card linking to `slug`."""
    match = re.search(
        rf'<article class="card">\s*<h3 class="card-title"><a href="/initiatives/{slug}/".*?</article>',
        html,
        re.S,
    )
    assert match, f"no card for {slug}"
    return match.group()


def summary_of(card_html):
    return re.search(r'<p class="card-summary" lang="([^"]+)">(.*?)</p>', card_html, re.S).groups()


def test_a_french_search_shows_the_french_title_and_snippet_with_the_word_marked(client, french_case):
    html = client.get(LIST, {"q": "histoires"}).content.decode()

    found = card(html, "reading-buddy")
    assert 'lang="fr">Compagnon de lecture</a>' in found
    lang, summary = summary_of(found)
    assert lang == "fr"
    assert "Lit des <mark>histoires</mark> à voix haute" in summary


def test_a_chinese_search_shows_the_chinese_title_and_snippet_with_the_word_marked(client, chinese_case):
    html = client.get(LIST, {"q": "雪豹"}).content.decode()

    found = card(html, "snow-leopard")
    assert 'lang="zh-Hans"><mark>雪豹</mark>监测</a>' in found
    lang, summary = summary_of(found)
    assert lang == "zh-Hans"
    assert "高原上的<mark>雪豹</mark>" in summary


def test_an_english_search_keeps_the_english_card_with_the_word_marked(client, french_case):
    html = client.get(LIST, {"q": "stories"}).content.decode()

    found = card(html, "reading-buddy")
    assert 'lang="en">Reading Buddy</a>' in found
    lang, summary = summary_of(found)
    assert lang == "en"
    assert "Reads <mark>stories</mark> aloud" in summary


@pytest.mark.parametrize(
    ("reader", "lang", "title"), [("en", "en", "Robot Tutor"), ("fr", "fr", "Tuteur robot")]
)
def test_text_matching_in_several_languages_is_shown_in_the_readers_own_first(
    client, make_initiative, reader, lang, title
):
    make_initiative(
        slug="robot-tutor",
        title="Robot Tutor",
        summary="A robot that tutors children.",
        title_fr="Tuteur robot",
        summary_fr="Un robot qui aide les enfants.",
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = reader

    found = card(client.get(LIST, {"q": "robot"}).content.decode(), "robot-tutor")

    assert f'lang="{lang}">' in found
    assert re.sub(r"</?mark>", "", found).count(f'lang="{lang}">{title}</a>') == 1
    assert summary_of(found)[0] == lang


def test_a_french_readers_english_search_shows_the_english_text_it_matched(client, french_case):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    found = card(client.get(LIST, {"q": "stories"}).content.decode(), "reading-buddy")

    assert 'lang="en">Reading Buddy</a>' in found
    assert summary_of(found)[0] == "en"
    assert "<mark>stories</mark>" in summary_of(found)[1]


def test_a_title_missing_in_the_matched_language_is_shown_as_the_reader_sees_it(client, make_initiative):
    make_initiative(
        slug="buddy", title="Reading Buddy", summary="Reads aloud.", summary_fr="Lit des histoires."
    )

    found = card(client.get(LIST, {"q": "histoires"}).content.decode(), "buddy")

    assert 'lang="en">Reading Buddy</a>' in found
    assert summary_of(found) == ("fr", summary_of(found)[1])
    assert "<mark>histoires</mark>" in summary_of(found)[1]


def test_a_case_found_by_its_organisations_name_shows_the_text_the_reader_sees(
    client, make_initiative, make_organisation
):
    lead = make_organisation(slug="snowline", name="Snowline Trust")
    make_initiative(
        slug="a",
        title="Glacier watch",
        summary="Counts glaciers.",
        title_fr="Veille des glaciers",
        lead_organisation=lead,
    )

    found = card(client.get(LIST, {"q": "Snowline"}).content.decode(), "a")

    assert 'lang="en">Glacier watch</a>' in found
    assert summary_of(found) == ("en", "Counts glaciers.")


@pytest.mark.postgres
def test_on_postgresql_a_french_word_form_marks_the_word_the_text_has(client, french_case):
    found = card(client.get(LIST, {"q": "histoire"}).content.decode(), "reading-buddy")

    assert summary_of(found)[0] == "fr"
    assert "<mark>histoires</mark>" in summary_of(found)[1]


def test_snippets_in_the_matched_language_cost_no_query(client, make_initiative, django_assert_num_queries):
    for number in range(5):
        make_initiative(
            slug=f"case-{number}",
            title=f"Case {number}",
            summary="Reads stories aloud.",
            title_fr=f"Cas {number}",
            summary_fr="Lit des histoires à voix haute.",
        )

    # As any searched list page (tests/catalogue/test_scale.py): the data version, the facets'
    # counts and labels, the page of cases, their cards' sectors and technologies, and the
    # number of cases without a start year. Each card's French title and snippet are read from
    # the page's own row (and its PostgreSQL headlines), never by a query of its own.
    with django_assert_num_queries(LIST_QUERIES):
        html = client.get(LIST, {"q": "histoires"}).content.decode()

    assert html.count("<mark>histoires</mark>") == 5
