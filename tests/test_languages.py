"""The interface in the six UN languages (issue 15): which language a visitor gets, its
direction, and what the page says when the catalogue's content is not in that language."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalogue.models import PartnerProfile

pytestmark = pytest.mark.django_db

LIST = "/initiatives/"


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group()


def test_the_interface_offers_the_six_un_languages():
    assert {code for code, _name in settings.LANGUAGES} == {"ar", "zh-hans", "en", "fr", "ru", "es"}


def test_the_switcher_names_each_language_in_that_language(client):
    html = client.get(LIST).content.decode()

    for code, name in [
        ("ar", "العربية"),
        ("zh-hans", "简体中文"),
        ("en", "English"),
        ("fr", "Français"),
        ("ru", "Русский"),
        ("es", "Español"),
    ]:
        assert re.search(rf'<option value="{code}" lang="[^"]+"( selected)?>{name}</option>', html), code


@pytest.mark.parametrize(
    ("accept_language", "lang", "direction"),
    [
        ("ar-EG,ar;q=0.9,en;q=0.5", "ar", "rtl"),
        ("fr-CA,fr;q=0.8", "fr", "ltr"),
        ("ru-RU", "ru", "ltr"),
        ("es-419,es;q=0.9", "es", "ltr"),
        ("zh-CN,zh;q=0.9", "zh-Hans", "ltr"),
        ("en-GB", "en", "ltr"),
        ("de-DE,de;q=0.9", "en", "ltr"),  # not offered: English
    ],
)
def test_accept_language_chooses_the_language_and_direction_on_a_first_visit(
    client, accept_language, lang, direction
):
    response = client.get(LIST, headers={"accept-language": accept_language})

    assert html_tag(response) == f'<html lang="{lang}" dir="{direction}">'
    assert response["Content-Language"] == lang.lower()


def test_the_switchers_cookie_wins_over_accept_language(client):
    client.post(reverse("set_language"), {"language": "ar", "next": LIST})

    response = client.get(LIST, headers={"accept-language": "fr-FR"})

    assert html_tag(response) == '<html lang="ar" dir="rtl">'


def test_the_language_of_mail_offers_every_interface_language():
    field = PartnerProfile._meta.get_field("language")

    assert [code for code, _name in field.choices] == [code for code, _name in settings.LANGUAGES]


def test_a_partner_can_have_mail_in_french(client, partner_a):
    client.force_login(partner_a)

    client.post(
        reverse("accounts:profile"),
        {"organisation": "Partner A Org", "proposed_organisation_name": "", "language": "fr"},
    )

    assert PartnerProfile.objects.get(user=partner_a).language == "fr"


@pytest.mark.parametrize("language", ["ar", "fr", "ru", "es"])
def test_a_catalogue_page_in_a_language_without_content_says_once_it_is_shown_in_english(
    client, make_initiative, language
):
    make_initiative(title="Reading Buddy")
    make_initiative(title="Sign Language Tutor")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = client.get(LIST).content.decode()

    assert html.count('class="content-language-note"') == 1
    assert 'lang="en">Reading Buddy</a>' in html  # the title carries its language


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_notice_in_the_languages_the_content_is_written_in(client, make_initiative, language):
    make_initiative(title="Reading Buddy", title_zh="阅读伙伴", summary_zh="摘要。")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    assert "content-language-note" not in client.get(LIST).content.decode()


def test_a_french_list_whose_records_are_all_in_french_says_nothing_of_english(client, make_initiative):
    make_initiative(
        title="Reading Buddy", title_fr="Compagnon de lecture", summary_fr="Lit avec les enfants."
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert "content-language-note" not in client.get(LIST).content.decode()


@pytest.mark.parametrize("language", ["fr", "zh-hans"])
def test_a_list_with_some_records_in_english_says_so_of_some(client, make_initiative, language):
    make_initiative(
        title="Reading Buddy",
        title_fr="Compagnon de lecture",
        summary_fr="Lit avec les enfants.",
        title_zh="阅读伙伴",
        summary_zh="摘要。",
    )
    make_initiative(title="Sign Language Tutor")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        some = translation.pgettext(
            "the catalogue's content",
            "Some records on this page are not available in this language; they are shown in English.",
        )

    html = client.get(LIST).content.decode()

    assert html.count('class="content-language-note"') == 1
    assert some in html


def test_a_sectors_page_in_french_speaks_of_its_own_records(client, make_initiative, make_sector):
    education = make_sector(slug="education", name="Education", name_fr="Éducation")
    make_initiative(sectors=[education], title="Reading Buddy", title_fr="Compagnon", summary_fr="Lit.")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert "content-language-note" not in client.get("/sectors/education/").content.decode()


def test_the_related_page_speaks_of_the_related_cases_too(client, make_initiative, make_sector):
    education = make_sector(slug="education")
    french = dict(title_fr="Compagnon", summary_fr="Lit.")
    case = make_initiative(sectors=[education], title="Reading Buddy", **french)
    make_initiative(sectors=[education], title="Sign Language Tutor")  # related, in English only
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(reverse("catalogue:initiative-related", args=[case.slug])).content.decode()

    assert "Certaines fiches de cette page ne sont pas disponibles en français" in html


def test_the_overview_in_french_says_its_english_names_are_english(client, make_initiative, make_sector):
    make_initiative(sectors=[make_sector(slug="education", name="Education")])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get("/").content.decode()

    assert html.count('class="content-language-note"') == 1


def test_a_label_before_its_value_is_punctuated_as_the_language_does(client, make_initiative):
    make_initiative(title="Reading Buddy")
    make_initiative(title="Sign Language Tutor")  # two: the list offers its orders
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(LIST).content.decode()

    # French puts a space before the colon; a colon glued on after the translation could not
    assert "<span>Trier par :</span>" in html
    assert "<span>Télécharger cette liste :</span>" in html


def test_pages_outside_the_catalogue_carry_no_notice(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert "content-language-note" not in client.get("/accounts/login/").content.decode()


def test_a_case_without_chinese_says_so_on_its_page_in_chinese(client, make_initiative):
    english_only = make_initiative(title="Reading Buddy")
    bilingual = make_initiative(title="Sign Language Tutor", title_zh="手语导师", summary_zh="摘要。")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    assert "content-language-note" in client.get(english_only.get_absolute_url()).content.decode()
    assert "content-language-note" not in client.get(bilingual.get_absolute_url()).content.decode()


def test_the_notice_adds_no_query(client, make_initiative, uncached):
    """The case page in French makes the same queries as in English (the notice reads the
    language, not the database)."""
    initiative = make_initiative(title="Reading Buddy")
    client.get(initiative.get_absolute_url())  # warm: the session, the data version
    with CaptureQueriesContext(connection) as english:
        client.get(initiative.get_absolute_url())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    with CaptureQueriesContext(connection) as french:
        response = client.get(initiative.get_absolute_url())

    assert len(french) == len(english)

    assert "content-language-note" in response.content.decode()


def test_english_content_on_a_french_page_says_it_is_english(client, make_initiative):
    initiative = make_initiative(title="Reading Buddy")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(initiative.get_absolute_url()).content.decode()

    assert '<html lang="fr" dir="ltr">' in html
    assert '<h1 lang="en">Reading Buddy</h1>' in html


def test_chinese_content_on_an_arabic_page_says_it_is_chinese(client, make_initiative):
    initiative = make_initiative(title="Sign Language Tutor", title_zh="手语导师")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    html = client.get(initiative.get_absolute_url()).content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert '<h1 lang="en">Sign Language Tutor</h1>' in html
    assert 'lang="zh-Hans">手语导师<' in html


def test_a_sources_publisher_and_page_keep_their_own_direction_on_an_arabic_page(
    client, make_initiative, make_source
):
    """In a right-to-left line, "(World Internet Conference)" and "P09–P14" would otherwise
    trade places with the Arabic around them."""
    source = make_source(title="Action Plan", publisher="World Internet Conference")
    initiative = make_initiative(title="Snow Leopards", sources=[source])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    html = client.get(initiative.get_absolute_url()).content.decode()

    assert "<bdi>(World Internet Conference)</bdi>" in html
    assert "<bdi>P1</bdi>" in html  # the citation's location


def test_a_related_cases_organisation_carries_its_language(
    client, make_initiative, make_sector, make_organisation
):
    """ "360 Group" on an Arabic page read "Group 360" without it."""
    sector = make_sector(slug="education", name="Education")
    initiative = make_initiative(title="Reading Buddy", sectors=[sector])
    make_initiative(
        title="Story Garden", sectors=[sector], lead_organisation=make_organisation(name="360 Group")
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    html = client.get(initiative.get_absolute_url() + "related/?partial=1").content.decode()

    assert '<bdi lang="en">360 Group</bdi>' in html
