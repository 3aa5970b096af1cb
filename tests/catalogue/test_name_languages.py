"""The names and titles of the vocabularies, organisations and publications in any of the
interface's languages (issue 15): the one rule of which a reader sees, API v1's `name_zh` kept
beside `translations`, and migrations 0039-0041 moving the Chinese pairs both ways."""

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from catalogue.models import Organisation, Publication, Requirement, Sector, Source, TextOrigin
from tests.catalogue.test_views import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_reader(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


@pytest.fixture
def education(make_sector):
    return make_sector(
        slug="education",
        name="Education",
        name_zh="教育",
        name_zh_origin=TextOrigin.EDITORIAL,
        name_fr="Éducation",
        text_origins={"zh-hans": TextOrigin.EDITORIAL, "fr": TextOrigin.EDITORIAL},
    )


def test_a_french_reader_sees_a_sectors_french_name_and_english_where_there_is_none(
    french_reader, make_initiative, make_technology, education
):
    speech = make_technology(slug="speech", name="Speech recognition")
    case = make_initiative(sectors=[education], technologies=[speech])

    page = text_of(french_reader.get(case.get_absolute_url()))

    assert "Éducation" in page
    assert "Speech recognition" in page  # no French name: English
    assert "Education" not in page.replace("Éducation", "")


def test_a_french_reader_sees_the_french_name_on_the_sectors_page_and_in_the_lists_facets(
    french_reader, make_initiative, education
):
    make_initiative(sectors=[education])

    sector_page = french_reader.get("/sectors/education/").content.decode()
    list_page = text_of(french_reader.get("/initiatives/"))

    assert "<h1>Éducation</h1>" in sector_page
    assert "Éducation" in list_page


def test_a_chinese_reader_still_sees_the_chinese_name(client, make_initiative, education):
    make_initiative(sectors=[education])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    assert "<h1>教育</h1>" in client.get("/sectors/education/").content.decode()


def translated(language, message):
    with translation.override(language):
        return translation.gettext(message)


NAME_NOTE = "This name is the catalogue's translation."
LABELS_NOTE = (
    "Names of sectors, AI technologies, beneficiary groups and requirements in this language are "
    "the catalogue's translations."
)


def test_a_french_reader_is_told_the_french_name_they_see_is_the_catalogues_translation(
    french_reader, make_initiative, education
):
    make_initiative(sectors=[education])

    page = french_reader.get("/sectors/education/").content.decode()

    assert translated("fr", NAME_NOTE) in page
    assert translated("fr", NAME_NOTE) != NAME_NOTE  # said in French


def test_no_note_is_given_for_the_english_a_reader_sees_instead(client, make_initiative, education):
    make_initiative(sectors=[education])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"  # the sector has no Spanish name

    page = client.get("/sectors/education/").content.decode()

    assert translated("es", NAME_NOTE) not in page


def test_a_reviewed_machine_translation_of_a_requirement_title_is_noted_in_russian(client, make_initiative):
    requirement = Requirement.objects.create(
        number=9,
        slug="requirement-9",
        title="Prepare children for AI",
        title_ru="Подготовить детей к ИИ",
        text_origins={"ru": TextOrigin.MACHINE_REVIEWED},
    )
    make_initiative(requirements=[requirement])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    page = client.get(requirement.get_absolute_url()).content.decode()

    assert translated("ru", "This title is the catalogue's translation.") in page


def test_a_case_page_says_its_arabic_labels_are_the_catalogues_translations(
    client, make_initiative, make_sector
):
    health = make_sector(slug="health", name="Health", name_ar="الصحة", text_origins={"ar": "editorial"})
    case = make_initiative(sectors=[health])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    page = client.get(case.get_absolute_url()).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_page = client.get(case.get_absolute_url()).content.decode()

    assert translated("ar", LABELS_NOTE) in page
    assert LABELS_NOTE not in english_page


def test_the_api_keeps_name_zh_and_gives_every_language_with_its_origin(
    french_reader, make_initiative, education
):
    make_initiative(sectors=[education])

    body = french_reader.get("/api/v1/sectors/education/").json()

    assert body["name"] == "Education"  # English, whatever the request's language
    assert (body["name_zh"], body["name_zh_origin"]) == ("教育", "editorial")
    assert body["translations"] == {
        "zh-hans": {"name": "教育", "origin": "editorial"},
        "fr": {"name": "Éducation", "origin": "editorial"},
    }


def test_an_initiatives_sector_stays_english_in_the_api_for_a_french_reader(
    french_reader, make_initiative, education
):
    case = make_initiative(sectors=[education])

    body = french_reader.get(f"/api/v1/initiatives/{case.slug}/").json()

    assert [sector["name"] for sector in body["sectors"]] == ["Education"]


def test_the_skos_file_labels_a_sector_in_each_language_it_has(client, make_initiative, education):
    make_initiative(sectors=[education])

    turtle = client.get("/vocabularies/sectors.ttl").content.decode()

    assert '"""Education"""@en' in turtle
    assert '"""教育"""@zh-Hans' in turtle
    assert '"""Éducation"""@fr' in turtle


def test_the_shipped_chinese_titles_of_sources_and_publications_are_the_documents_own(
    client, shipped_catalogue
):
    plan = Publication.objects.exclude(title_zh_hans=None).first()

    body = client.get(f"/api/v1/publications/{plan.slug}/").json()

    assert body["title_zh"] == plan.title_zh_hans != ""
    assert body["translations"]["zh-hans"] == {"title": plan.title_zh_hans, "origin": "source"}
    sources = Source.objects.exclude(title_zh_hans=None)
    assert sources and all(source.text_origins == {"zh-hans": "source"} for source in sources)


def test_an_organisation_is_found_by_its_chinese_name_in_the_organisation_list(client, make_initiative):
    tencent = Organisation.objects.create(slug="tencent", name="Tencent", name_zh="腾讯")
    make_initiative(lead_organisation=tencent)

    body = client.get("/api/v1/organisations/?q=腾讯").json()

    assert [row["slug"] for row in body["results"]] == ["tencent"]


BEFORE, LAST = ("catalogue", "0039_names_in_every_language"), ("catalogue", "0041_names_old_columns_removed")


def migrate(target=None):
    """Migrate to `target` (by default every app's latest migration); its models."""
    executor = MigrationExecutor(connection)
    targets = [target] if target else executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migrations_move_every_chinese_name_and_origin_and_put_them_back():
    old = migrate(BEFORE)
    old.get_model("catalogue", "Sector").objects.create(
        slug="education", name="Education", name_zh="教育", name_zh_origin="editorial"
    )
    old.get_model("catalogue", "Sector").objects.create(slug="health", name="Health")
    old.get_model("catalogue", "Organisation").objects.create(
        slug="tencent", name="Tencent", name_zh="腾讯", name_zh_origin="source"
    )
    old.get_model("catalogue", "Requirement").objects.create(
        number=5, slug="safety", title="Ensure safety", title_zh="确保儿童安全", title_zh_origin="editorial"
    )
    old.get_model("catalogue", "Source").objects.create(slug="wic", title="WIC plan", title_zh="行动计划")
    old.get_model("catalogue", "Publication").objects.create(
        slug="plan", kind="action_plan", title="Action plan", title_zh="行动计划"
    )
    old.get_model("catalogue", "HistoricalSector").objects.create(
        id=1, slug="education", name="Education", name_zh="教育", name_zh_origin="editorial",
        history_date="2026-12-04T00:00:00Z", history_type="+",
        created_at="2026-12-04T00:00:00Z", updated_at="2026-12-04T00:00:00Z",
    )  # fmt: skip

    new = migrate(LAST)
    sectors = new.get_model("catalogue", "Sector").objects.order_by("slug")

    assert [(s.name_en, s.name_zh_hans, s.text_origins) for s in sectors] == [
        ("Education", "教育", {"zh-hans": "editorial"}),
        ("Health", None, {}),
    ]
    tencent = new.get_model("catalogue", "Organisation").objects.get()
    assert (tencent.name_zh_hans, tencent.text_origins) == ("腾讯", {"zh-hans": "source"})
    safety = new.get_model("catalogue", "Requirement").objects.get()
    assert (safety.title_zh_hans, safety.text_origins) == ("确保儿童安全", {"zh-hans": "editorial"})
    for name in ("Source", "Publication"):
        record = new.get_model("catalogue", name).objects.get()
        assert (record.title_zh_hans, record.text_origins) == ("行动计划", {"zh-hans": "source"})
    history = new.get_model("catalogue", "HistoricalSector").objects.get()
    assert (history.name_zh_hans, history.text_origins) == ("教育", {"zh-hans": "editorial"})

    back = migrate(BEFORE)
    # 0039's columns are still there on the way back; what matters is the old ones' values.
    sectors = back.get_model("catalogue", "Sector").objects.order_by("slug")
    assert list(sectors.values_list("name_zh", "name_zh_origin")) == [("教育", "editorial"), ("", "")]
    assert back.get_model("catalogue", "Organisation").objects.get().name_zh_origin == "source"
    assert back.get_model("catalogue", "Requirement").objects.get().title_zh_origin == "editorial"
    assert back.get_model("catalogue", "Publication").objects.get().title_zh == "行动计划"
    assert back.get_model("catalogue", "HistoricalSector").objects.get().name_zh == "教育"

    migrate()
    assert Requirement.objects.get().title_zh == "确保儿童安全"
    assert Sector.objects.get(slug="education").name_zh_origin == "editorial"


def test_a_record_made_in_the_french_interface_gets_its_name_in_english_only():
    with translation.override("fr"):
        organisation = Organisation.objects.create(slug="acme", name="Acme")

    organisation.refresh_from_db()
    assert (organisation.name_en, organisation.name_fr, organisation.name) == ("Acme", None, "Acme")
