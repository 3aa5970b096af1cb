"""Pages that must not grow with the catalogue: a fixed number of SQL queries, bounded HTML,
bounded facets and paginated vocabulary pages (issue 9)."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.filters import InitiativeFilterSet
from catalogue.models import Citation, Initiative, Organisation, RequirementAlignment
from catalogue.views import InitiativeListView

pytestmark = pytest.mark.django_db

LIST = "/initiatives/"
MANY = 240  # initiatives, each with its own lead organisation and a partner: 480 organisations


@pytest.fixture
def crowded_catalogue(make_organisation, make_sector, make_source, make_technology, make_requirement):
    """Many initiatives over many organisations, built with bulk inserts to stay fast."""
    sector, technology, source = (
        make_sector(slug="education"),
        make_technology(slug="speech"),
        make_source(slug="wic"),
    )
    leads = Organisation.objects.bulk_create(
        Organisation(slug=f"lead-{n:03}", name=f"Lead organisation {n:03}") for n in range(MANY)
    )
    partners = Organisation.objects.bulk_create(
        Organisation(slug=f"partner-{n:03}", name=f"Partner organisation {n:03}") for n in range(MANY)
    )
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            slug=f"case-{n:03}",
            title=f"Case {n:03}",
            summary="A long enough summary of what the case does for children. " * 4,
            status=Initiative.Status.PUBLISHED,
            lead_organisation=leads[n],
            published_at=timezone.now(),
            start_year=2000 + n % 20,
            countries=["CN", "KE"] if n % 2 else ["US"],
        )
        for n in range(MANY)
    )
    everyone = make_organisation(slug="everyone", name="Partner of every case")
    Initiative.partners.through.objects.bulk_create(
        Initiative.partners.through(initiative=initiative, organisation=organisation)
        for n, initiative in enumerate(initiatives)
        for organisation in (partners[n % 40], everyone)
    )
    Initiative.sectors.through.objects.bulk_create(
        Initiative.sectors.through(initiative=initiative, sector=sector) for initiative in initiatives
    )
    Initiative.technologies.through.objects.bulk_create(
        Initiative.technologies.through(initiative=initiative, technology=technology)
        for initiative in initiatives
    )
    requirement = make_requirement(5)
    RequirementAlignment.objects.bulk_create(
        RequirementAlignment(initiative=initiative, requirement=requirement, rationale="Because.")
        for initiative in initiatives
    )
    Citation.objects.bulk_create(
        Citation(initiative=initiative, source=source, location=f"P{n}", position=n)
        for n, initiative in enumerate(initiatives)
    )
    return initiatives


# --- The list page --------------------------------------------------------------------------

# Queries of a list page: the catalogue's version (the facets' cache key); the facet counts
# (all nine facets, and the total of the filtered list, in one query), the labels of the five
# vocabulary facets (sectors, requirements, technologies, beneficiary groups, sources: one
# query) and of the organisations shown; the page; its cards' sectors and technologies (one
# query); the number of cases without a start year (the year filter says it).
FACETS = 1 + 1 + 1
LIST_QUERIES = 1 + FACETS + 1 + 1 + 1


def unfiltered_list_queries():
    # With no filter, PostgreSQL counts the facets from the totals it keeps (no id set to
    # count the list with): the list's total is one more read of those totals.
    return LIST_QUERIES + (1 if connection.vendor == "postgresql" else 0)


@pytest.mark.parametrize("page_size", [1, 20, 100])
@pytest.mark.usefixtures("crowded_catalogue")
def test_list_page_runs_the_same_queries_whatever_the_page_size(
    client, monkeypatch, django_assert_num_queries, page_size
):
    monkeypatch.setattr(InitiativeListView, "paginate_by", page_size)

    with django_assert_num_queries(unfiltered_list_queries()):
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize(
    ("query", "extra"),
    [
        # each slug filter checks its slugs exist: one query per parameter
        ("sector=education", 1),
        ("sector=education&organisation=lead-007&organisation=partner-003", 2),
        ("country=KE&year_min=2000&children_focus=false", 0),
        ("q=children&ordering=newest&page=3", 0),
        ("source=wic&technology=speech&country=CN&organisation_kind=other", 2),
    ],
)
@pytest.mark.usefixtures("crowded_catalogue")
def test_list_page_runs_the_same_queries_whatever_the_filters(
    client, django_assert_num_queries, query, extra
):
    with django_assert_num_queries(LIST_QUERIES + extra):
        assert client.get(f"{LIST}?{query}").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "sector=education",
        "q=children",
        "country=KE&year_min=2000",
        "organisation=lead-007&children_focus=false",
    ],
)
@pytest.mark.usefixtures("crowded_catalogue")
def test_the_total_counted_with_the_facets_is_the_number_of_cases_listed(client, query):
    shown = client.get(f"{LIST}?{query}").context["paginator"].count

    filterset = InitiativeFilterSet(QueryDict(query), queryset=Initiative.objects.for_cards())
    assert filterset.is_valid()
    assert shown == len(filterset.qs.values_list("pk", flat=True)) > 0


@pytest.mark.usefixtures("crowded_catalogue")
def test_list_page_reads_facets_from_the_cache_the_second_time(client, django_assert_num_queries):
    client.get(LIST, {"sector": "education", "country": "KE"})

    # the sector's slug checked; the facets and the total from the cache
    with django_assert_num_queries(LIST_QUERIES + 1 - FACETS):
        client.get(LIST, {"country": "KE", "sector": "education", "ordering": "title"})


def sector_count(client, sector):
    facets = client.get("/api/v1/initiatives/", {"facets": "sector"}).json()["facets"]["sector"]
    return {option["value"]: option["count"] for option in facets}.get(sector, 0)


def test_a_published_change_shows_in_the_facets_at_once(client, make_initiative, make_sector):
    education = make_sector(slug="education")
    first = make_initiative(sectors=[education])
    assert sector_count(client, "education") == 1

    make_initiative(sectors=[education])
    assert sector_count(client, "education") == 2

    first.status = Initiative.Status.DRAFT
    first.save()
    assert sector_count(client, "education") == 1


def test_a_draft_does_not_show_in_the_facets(client, make_initiative, make_sector):
    education = make_sector(slug="education")
    make_initiative(sectors=[education])
    assert sector_count(client, "education") == 1

    make_initiative(sectors=[education], status=Initiative.Status.DRAFT, published_at=None)
    assert sector_count(client, "education") == 1


def test_facet_labels_are_cached_per_language(client, make_initiative):
    make_initiative(countries=["CN"])
    client.get(LIST)

    html = client.get(LIST, headers={"Accept-Language": "zh-Hans"}).content.decode()

    assert "中国" in html


@pytest.mark.usefixtures("crowded_catalogue")
def test_list_page_stays_under_100_kb_with_many_organisations(client):
    response = client.get(LIST)

    assert response.status_code == 200
    assert len(response.content) < 100_000


@pytest.mark.usefixtures("crowded_catalogue")
def test_organisation_facet_shows_the_top_options_and_a_way_to_the_rest(client):
    html = client.get(LIST).content.decode()

    # "everyone" partners in all 240, 40 partners in 6 each, the 240 leads lead one each:
    # "everyone" and 14 partners are the top 15, and the rest (281 in all) is a link away
    assert html.count('name="organisation"') == 15
    assert 'value="partner-000"' in html
    assert 'value="lead-000"' not in html
    assert '<p class="facet-more"><a href="/initiatives/facets/organisation/">Show all 281,' in html


@pytest.mark.usefixtures("crowded_catalogue")
def test_organisation_facet_keeps_a_selected_organisation_beyond_the_top(client):
    html = client.get(LIST, {"organisation": "lead-200"}).content.decode()

    assert 'value="lead-200" id="id_organisation_' in html
    assert html.count('name="organisation"') == 16


def test_a_short_organisation_facet_has_no_link_to_the_rest(client, make_initiative):
    make_initiative()

    assert 'class="facet-more"' not in client.get(LIST).content.decode()


@pytest.mark.usefixtures("crowded_catalogue")
def test_slug_filters_do_not_select_distinct_whole_rows(client):
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST, {"sector": "education", "organisation": "partner-001"})

    assert not [query for query in captured if "SELECT DISTINCT" in query["sql"].upper()]


def test_organisation_facet_in_the_api_says_it_is_truncated(client, crowded_catalogue):
    body = client.get("/api/v1/initiatives/", {"facets": "organisation,sector"}).json()

    assert len(body["facets"]["organisation"]) == 15
    assert body["facets_truncated"] == ["organisation"]


# --- Vocabulary pages -----------------------------------------------------------------------


@pytest.mark.usefixtures("crowded_catalogue")
@pytest.mark.parametrize(
    "url", ["/sources/wic/", "/sectors/education/", "/organisations/everyone/", "/requirements/5/"]
)
def test_vocabulary_pages_are_paginated(client, url):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<article class="card">') == 20
    assert f"{MANY} initiatives" in html
    assert 'rel="next"' in html


@pytest.mark.usefixtures("crowded_catalogue")
def test_source_page_2_continues_in_document_order(client):
    html = client.get("/sources/wic/", {"page": 2}).content.decode()

    assert "Case 020" in html
    assert "Case 019" not in html
    assert f"{MANY} initiatives" in html
