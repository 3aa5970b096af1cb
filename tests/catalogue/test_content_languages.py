"""An initiative's title and summary in any of the interface's languages (issue 15): the one
rule of which a reader sees, its provenance, the API's `translations`, and the title order."""

from html import unescape

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from catalogue.languages import in_interface_language, language_shown, text_origin
from catalogue.models import Initiative, TextOrigin
from catalogue.references import Reference, ReferenceLookup

pytestmark = pytest.mark.django_db

LIST = "/initiatives/"
API = "/api/v1/initiatives/"


@pytest.fixture
def french_case(make_initiative):
    return make_initiative(
        title="Reading Buddy",
        summary="Reads stories aloud.",
        title_fr="Compagnon de lecture",
        summary_fr="Lit des histoires à voix haute.",
        text_origins={"fr": TextOrigin.PARTNER},
    )


def test_a_french_reader_sees_the_french_title_and_summary(client, french_case):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(french_case.get_absolute_url()).content.decode()

    assert '<h1 lang="fr">Compagnon de lecture</h1>' in html
    assert '<p lang="fr">Lit des histoires à voix haute.</p>' in html
    assert 'lang="en">Reading Buddy<' in html  # the English beside it
    assert "content-language-note" not in html  # nothing fell back


def test_a_case_without_french_says_so_on_its_page_in_french(client, make_initiative):
    english_only = make_initiative(title="Sign Language Tutor")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(english_only.get_absolute_url()).content.decode()

    assert '<h1 lang="en">Sign Language Tutor</h1>' in html
    assert html.count("content-language-note") == 1  # said of the case, not again for the page


def test_a_french_case_page_says_the_catalogue_translated_its_french_text(client, make_initiative):
    case = make_initiative(
        title="Reading Buddy", title_fr="Compagnon de lecture", text_origins={"fr": "editorial"}
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(case.get_absolute_url()).content.decode()

    assert html.count('<p class="note origin-note">Traduit par les rédacteurs du catalogue.</p>') == 1


def test_a_case_page_says_nothing_of_french_text_from_the_source_document(client, make_initiative):
    case = make_initiative(
        title="Reading Buddy", title_fr="Compagnon de lecture", text_origins={"fr": "source"}
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(case.get_absolute_url()).content.decode()

    assert '<h1 lang="fr">Compagnon de lecture</h1>' in html
    assert "origin-note" not in html


@pytest.mark.parametrize(
    ("language", "origin", "note"),
    [
        ("ar", "editorial", "Translated by the catalogue's editors."),
        ("es", "machine_reviewed", "Machine translation, reviewed by an editor."),
        ("ru", "partner", "Given by the submitting partner."),
        ("zh-hans", "editorial", "Translated by the catalogue's editors."),
    ],
)
def test_every_language_says_whose_translation_a_case_shows_once(
    client, make_initiative, language, origin, note
):
    column = language.replace("-", "_")
    case = make_initiative(
        title="Reading Buddy",
        summary="Reads stories aloud.",
        **{f"title_{column}": "·", f"summary_{column}": "·"},
        text_origins={language: origin},
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        expected = translation.gettext(note)
        chinese_line = translation.gettext("Chinese text: %(origin)s").split("%")[0]

    page = unescape(client.get(case.get_absolute_url()).content.decode())

    assert expected != note  # translated
    assert page.count(f'<p class="note origin-note">{expected}</p>') == 1
    assert page.count("origin-note") == 1  # not said again as "Chinese text: …"
    assert chinese_line not in page


def test_the_source_documents_chinese_beside_english_keeps_its_origin_line(client, make_initiative):
    case = make_initiative(title="Reading Buddy", title_zh="阅读伙伴", text_origins={"zh-hans": "source"})

    html = client.get(case.get_absolute_url()).content.decode()

    assert '<p class="note origin-note">Chinese text: From the source document</p>' in html


@pytest.mark.parametrize("language", ["ar", "ru", "es", "zh-hans"])
def test_every_language_falls_back_to_english_by_one_rule(french_case, language):
    with translation.override(language):
        assert in_interface_language(french_case, "title") == "Reading Buddy"
        assert language_shown(french_case, "title") == "en"


def test_the_list_card_carries_the_language_it_shows(client, french_case):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(LIST).content.decode()

    assert 'lang="fr">Compagnon de lecture</a>' in html


def test_english_text_keeps_its_column_whatever_the_interface_language(make_initiative):
    """`title` and `summary` are the English text every index, order and search reads; a
    change made while the interface is in another language writes that language's column."""
    initiative = make_initiative(title="Reading Buddy")
    with translation.override("fr"):
        initiative.title_fr = "Compagnon de lecture"
        initiative.save()

    stored = Initiative.objects.filter(pk=initiative.pk).values("title", "title_en", "title_fr").get()
    assert stored == {
        "title": "Reading Buddy",
        "title_en": "Reading Buddy",
        "title_fr": "Compagnon de lecture",
    }


def test_the_chinese_columns_keep_their_old_names_for_code_and_api(make_initiative):
    initiative = make_initiative(title_zh="阅读伙伴", summary_zh="摘要。", chinese_text_origin="source")

    initiative.refresh_from_db()

    assert (initiative.title_zh_hans, initiative.summary_zh_hans) == ("阅读伙伴", "摘要。")
    assert initiative.text_origins == {"zh-hans": "source"}
    assert text_origin(initiative, "zh-hans") == initiative.chinese_text_origin == "source"


@pytest.mark.parametrize(
    ("origins", "message"),
    [
        ({"de": "source"}, "de is not one of the site's languages."),
        ({"fr": "guessed"}, "guessed is not an origin"),
        (["fr"], "Give an object of language codes and origins."),
    ],
)
def test_an_origin_must_name_a_site_language_and_a_known_origin(make_initiative, origins, message):
    initiative = make_initiative()
    initiative.text_origins = origins

    with pytest.raises(ValidationError) as error:
        initiative.full_clean()

    assert message in str(error.value.message_dict["text_origins"])


def test_the_api_gives_every_language_with_its_origin_beside_the_chinese_fields(client, make_initiative):
    make_initiative(
        slug="buddy",
        title="Reading Buddy",
        summary="Reads stories aloud.",
        title_zh="阅读伙伴",
        summary_zh="朗读故事。",
        title_fr="Compagnon de lecture",
        summary_fr="Lit des histoires à voix haute.",
        text_origins={"zh-hans": "source", "fr": "machine_reviewed"},
    )

    # In a Chinese request too: v1's fields are English and Chinese by name, not by language.
    row = client.get(API, headers={"accept-language": "zh-CN"}).json()["results"][0]

    assert (row["title"], row["title_zh"], row["summary"], row["summary_zh"]) == (
        "Reading Buddy",
        "阅读伙伴",
        "Reads stories aloud.",
        "朗读故事。",
    )
    assert row["translations"] == {
        "zh-hans": {"title": "阅读伙伴", "summary": "朗读故事。", "origin": "source"},
        "fr": {
            "title": "Compagnon de lecture",
            "summary": "Lit des histoires à voix haute.",
            "origin": "machine_reviewed",
        },
    }


def test_a_case_in_english_only_has_no_translations(client, make_initiative):
    make_initiative(slug="buddy")

    row = client.get(f"{API}buddy/").json()

    assert row["translations"] == {}
    assert (row["title_zh"], row["summary_zh"], row["chinese_text_origin"]) == ("", "", "")


def test_the_title_order_follows_the_title_a_french_reader_sees(client, make_initiative):
    make_initiative(slug="zebra", title="Zebra", title_fr="Abeille")  # "bee": first in French
    make_initiative(slug="mango", title="Mango")  # no French: its English title
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(LIST, {"ordering": "title"}).content.decode()

    assert html.index("Abeille") < html.index("Mango")
    assert [row["slug"] for row in client.get(API, {"ordering": "title"}).json()["results"]] == [
        "zebra",
        "mango",
    ]


@pytest.mark.postgres
def test_chinese_titles_sort_in_pinyin_order_on_postgresql(client, make_initiative):
    # Code points put 中 (zhōng) before 北 (běi) before 阿 (ā); the Chinese collation puts
    # them a, b, z, as a Chinese reader expects.
    make_initiative(slug="zhong", title="Centre", title_zh="中心")
    make_initiative(slug="bei", title="North", title_zh="北方")
    make_initiative(slug="a", title="Amazon", title_zh="阿里")

    response = client.get(API, {"ordering": "title"}, headers={"accept-language": "zh-CN"})

    assert [row["slug"] for row in response.json()["results"]] == ["a", "bei", "zhong"]


@pytest.mark.postgres
def test_a_french_summary_is_found_by_its_words_on_postgresql(client, make_initiative):
    make_initiative(slug="buddy", title="Reading Buddy", summary_fr="Lit des histoires à voix haute.")
    make_initiative(slug="other", title="Other")

    response = client.get(API, {"q": "histoires"})

    assert [row["slug"] for row in response.json()["results"]] == ["buddy"]


def test_a_lists_references_give_the_title_a_french_reader_sees_as_the_case_page_does(rf, french_case):
    request = rf.get("/")
    with translation.override("fr"):
        [from_row] = [
            Reference.from_row(row, ReferenceLookup(request))
            for row in Initiative.objects.published().for_references()
        ]
        from_page = Reference.of(Initiative.objects.for_detail().get(), request)

    assert (from_row.title, from_row.summary) == ("Compagnon de lecture", "Lit des histoires à voix haute.")
    assert from_row == from_page
