"""Free-text search: InitiativeQuerySet.search() on the shipped catalogue and on PostgreSQL."""

import re
from unittest import mock

import pytest
from django.db import connection

from catalogue.models import Initiative, KeyFigure
from catalogue.search import HEADLINE_START, search_query

SNOW_LEOPARD = "tencent-charity-foundation-snow-leopard-monitoring"
HEARING_AIDS = "tencent-hearing-aid-audio-algorithms"


def found(text):
    return [initiative.slug for initiative in Initiative.objects.published().search(text)]


def test_snow_leopard_finds_the_camera_trap_case_first(shipped_catalogue):
    assert found("snow leopard")[0] == SNOW_LEOPARD


def test_hearing_aids_finds_tencents_audio_algorithms_first(shipped_catalogue):
    assert found("hearing aids")[0] == HEARING_AIDS


def test_chinese_query_finds_chinese_titles_and_summaries(shipped_catalogue):
    assert found("雪豹") == [SNOW_LEOPARD]


def test_organisation_name_finds_its_initiatives(shipped_catalogue):
    results = found("iFLYTEK")

    assert results and all(slug.startswith("iflytek") for slug in results)


def test_partner_name_finds_the_initiatives_it_partners_in(make_initiative, make_organisation):
    partner = make_organisation(slug="snowline", name="Snowline Trust", name_zh="雪线信托基金")
    make_initiative(slug="a").partners.add(partner)
    make_initiative(slug="b")

    assert found("Snowline") == ["a"]
    assert found("雪线信托") == ["a"]


def test_lead_organisation_name_finds_its_initiatives(make_initiative, make_organisation):
    lead = make_organisation(slug="snowline", name="Snowline Trust", name_zh="雪线信托基金")
    make_initiative(slug="a", lead_organisation=lead)
    make_initiative(slug="b")

    assert found("Snowline") == ["a"]
    assert found("雪线信托") == ["a"]


def test_key_figure_finds_its_initiative(make_initiative):
    initiative = make_initiative(slug="a")
    KeyFigure.objects.create(
        initiative=initiative, text="1,200 glaciers surveyed", text_zh="调查了冰川一千二百条"
    )
    make_initiative(slug="b")

    assert found("glaciers") == ["a"]
    assert found("冰川一千") == ["a"]


def test_blank_query_changes_nothing(shipped_catalogue):
    assert Initiative.objects.published().search("   ").count() == Initiative.objects.published().count()


def test_search_never_returns_unpublished_initiatives(make_initiative):
    make_initiative(slug="a", title="Leopard watch")
    make_initiative(slug="b", title="Leopard census", status=Initiative.Status.DRAFT)

    assert found("leopard") == ["a"]


def test_title_matches_rank_above_summary_matches(make_initiative):
    make_initiative(slug="summary-match", title="Wildlife", summary="Cameras follow the snow leopard.")
    make_initiative(slug="title-match", title="Snow leopard monitoring", summary="Cameras in the mountains.")

    assert found("snow leopard") == ["title-match", "summary-match"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite fallback behaviour")
def test_sqlite_fallback_finds_substrings(make_initiative):
    make_initiative(slug="a", title="Snow leopard monitoring")

    assert found("leop") == ["a"]


@pytest.mark.postgres
def test_full_text_search_matches_word_forms(make_initiative):
    make_initiative(slug="a", title="Hearing aid noise reduction")
    make_initiative(slug="b", title="Sign language avatars")

    assert found("hearing aids") == ["a"]


@pytest.mark.postgres
def test_full_text_search_combines_chinese_substrings_with_english_matches(make_initiative):
    make_initiative(slug="a", title="Camera traps", title_zh="雪豹监测")
    make_initiative(slug="b", title="Snow leopard census")
    make_initiative(slug="c", title="Hearing aids", title_zh="助听器")

    assert sorted(found("雪豹 OR leopard")) == ["a", "b"]
    assert found("雪豹") == ["a"]


@pytest.mark.postgres
def test_search_headline_marks_the_matched_words(make_initiative):
    make_initiative(slug="a", summary="Camera traps follow the snow leopard across the plateau.")

    initiative = Initiative.objects.published().search("leopards").with_search_headline("leopards").get()

    language, _title, summary = initiative.search_match
    assert language == "en"
    assert f"{HEADLINE_START}leopard" in summary


@pytest.mark.postgres
@pytest.mark.parametrize(
    "index",
    ["initiative_search_document_gin", "organisation_search_gin", "keyfigure_search_gin"],
)
def test_search_uses_the_gin_indexes(shipped_catalogue, index):
    # A GIN expression index is used only when the query repeats its expression exactly;
    # this catches the query and migrations 0002/0009 drifting apart. On a table this small the
    # planner prefers scanning it (or its primary key), so those plans are switched off and
    # only an index matching the expression can answer. Searched without published(): here
    # every row is published, and the status index alone would be the cheapest way to read them.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = Initiative.objects.search("snow leopard").explain()

    assert index in plan


@pytest.mark.postgres
def test_search_reads_the_stored_vector_instead_of_building_one_per_row(make_initiative):
    # Building to_tsvector() over the title, summary and description of every candidate row
    # (to match, then again to rank) is what made a common word take seconds at 100,000
    # initiatives; the stored column is computed once, when a record is written.
    make_initiative(slug="a", title="Snow leopard monitoring")

    sql = str(Initiative.objects.published().search("leopard").query)

    assert '"search_document"' in sql
    assert not re.search(r'to_tsvector\([^)]*"catalogue_initiative"\."(title|summary|description)"', sql)


@pytest.mark.postgres
def test_search_reads_only_the_matching_initiatives(make_initiative, make_organisation):
    # Each way of matching (the stored vector, a lead or partner organisation's name, a key
    # figure) must be an index condition on the initiative's own row, so that PostgreSQL ORs
    # their bitmaps. `pk IN (subquery) OR pk IN (subquery)` is tested row by row instead (a
    # "hashed SubPlan"): at 100,000 initiatives every search read the whole table, three times
    # for the list page (facets, total, page), 0.9 to 1.4 s of database CPU a request.
    make_initiative(slug="a", title="Snow leopard monitoring")
    make_initiative(slug="b", lead_organisation=make_organisation(name="Leopard Trust"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Initiative.objects.search("leopard").explain()  # unpublished too: see above

    assert "BitmapOr" in plan
    assert "SubPlan" not in plan
    assert sorted(found("leopard")) == ["a", "b"]


@pytest.mark.postgres
def test_stored_vector_follows_an_edited_title(make_initiative):
    initiative = make_initiative(slug="a", title="Snow leopard monitoring")
    initiative.title = "Hearing aid noise reduction"
    initiative.save()

    assert found("hearing") == ["a"]
    assert found("leopard") == []


@pytest.mark.postgres
@pytest.mark.parametrize(
    "field, index",
    # The Chinese columns of issue 15 (migration 0036), still given by their v1 names.
    [("title_zh", "initiative_title_zh_hans_trgm"), ("summary_zh", "initiative_summary_zh_hans_trgm")],
)
def test_chinese_search_uses_a_trigram_index(make_initiative, field, index):
    # pg_trgm needs three characters to narrow a LIKE '%…%' search (a two-character word such
    # as 雪豹 has no whole trigram, so PostgreSQL reads every row for it, correctly but slowly).
    make_initiative(slug="a", **{field: "雪豹监测项目"})
    make_initiative(slug="b")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Initiative.objects.search("雪豹监测").explain()  # unpublished too: see above

    assert found("雪豹监测") == ["a"]
    assert index in plan


@pytest.mark.postgres
def test_the_search_vector_is_kept_in_the_initiatives_row(db):
    # Ranking reads the vector of every match. Left to the default storage, a wide row's vector
    # went to the TOAST table: at 10,000 initiatives ranking 783 matches read 2,518 buffers in
    # 6.5 ms instead of 683 in 1.3 (migration 0038).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'catalogue_initiative'::regclass AND attname = 'search_document'"
        )
        assert cursor.fetchone()[0] == "m"  # STORAGE MAIN


@pytest.mark.postgres
def test_a_search_ors_each_stemming_of_its_words_once(make_initiative):
    # The five stemmings (English, French, Spanish, Russian, Arabic) of "leopards" are two
    # distinct queries. ORed five times, PostgreSQL took the word for five and expected nearly
    # five times its matches ("Kigali" at 100,000 initiatives: 9,592 for 2,507), and counted a
    # search page's facets by reading the whole facet keys table (migration 0042).
    make_initiative(slug="a", title="Snow leopards of the Altai")
    make_initiative(slug="b", title="Hearing aids")

    plan = Initiative.objects.search("leopards").explain()

    queries = re.findall(r"'((?:[^']|'')*)'::tsquery", plan)
    assert queries, plan
    for query in queries:  # e.g. "''leopard'' | ''leopards''", as PostgreSQL quotes it
        terms = [term.strip() for term in query.split("|")]
        assert len(terms) == len(set(terms)) == 2, query
    assert found("leopards") == ["a"]
    assert found("leopard") == ["a"]


@pytest.mark.postgres
def test_a_search_page_of_another_word_builds_no_search_expression_again(client, make_initiative):
    """A search's condition, rank and headlines are built and compiled once per process
    (compiled.Precompiled), then given each word: rebuilding them in each of a search page's
    queries was some 10 ms of its Python at 100,000 initiatives (issue 9)."""
    for number in range(25):
        make_initiative(slug=f"leopards-{number:02}", title=f"Snow leopards survey {number:02}")
    make_initiative(slug="wolves", title="Grey wolves of the steppe", summary="Counted by camera traps.")
    assert client.get("/initiatives/?q=leopard").status_code == 200

    with mock.patch("catalogue.search.search_query", wraps=search_query) as built:
        second_page = client.get("/initiatives/?q=leopards&page=2")  # the page's ids in a subquery
        wolves = client.get("/initiatives/?q=wolves")

    assert built.call_count == 0
    assert [case.slug for case in second_page.context["page_obj"]] == [f"leopards-{n}" for n in range(20, 25)]
    assert [case.slug for case in wolves.context["page_obj"]] == ["wolves"]
    assert wolves.context["page_obj"][0].search_match[0] == "en"  # its headline, given the word
    assert "<mark>wolves</mark>" in wolves.content.decode().lower()
