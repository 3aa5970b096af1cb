"""`?facets=` on the initiatives list: the counts the /initiatives/ page shows."""

import re

import pytest
from django.db import connection
from django.http import QueryDict

from catalogue.facets import facet_counts
from catalogue.filters import InitiativeFilterSet
from catalogue.models import Initiative

pytestmark = pytest.mark.django_db

LIST = "/api/v1/initiatives/"


@pytest.fixture
def three_initiatives(make_initiative, make_sector, make_requirement, make_source, make_technology):
    education = make_sector(slug="education", name="Education")
    health = make_sector(slug="health", name="Health")
    safety, privacy = make_requirement(5, slug="safety"), make_requirement(4, slug="data-and-privacy")
    shared = {"sources": [make_source()], "technologies": [make_technology()]}
    make_initiative(slug="school", sectors=[education], requirements=[safety], countries=["CN"], **shared)
    make_initiative(slug="clinic", sectors=[health], requirements=[privacy], countries=["CN", "KE"], **shared)
    make_initiative(
        slug="school-clinic", sectors=[education, health], requirements=[safety], countries=["KE"], **shared
    )


@pytest.mark.usefixtures("three_initiatives")
def test_facets_count_each_option_with_the_other_filters_applied(client):
    response = client.get(LIST, {"facets": "sector,country", "sector": "education"})

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert response.json()["facets"] == {
        # the sector facet ignores its own selection, so health still shows its 2
        "sector": [
            {"value": "education", "label": "Education", "count": 2, "selected": True},
            {"value": "health", "label": "Health", "count": 2, "selected": False},
        ],
        "country": [
            {"value": "CN", "label": "China", "count": 1, "selected": False},
            {"value": "KE", "label": "Kenya", "count": 1, "selected": False},
        ],
    }


@pytest.mark.usefixtures("three_initiatives")
def test_facets_match_facet_counts_on_the_pages_filterset(client):
    query = "facets=sector,requirement,country,organisation_kind,children_focus&country=KE"
    filterset = InitiativeFilterSet(
        QueryDict(query), queryset=Initiative.objects.for_listing(), door_parameters={"facets": None}
    )
    assert filterset.is_valid()
    expected = facet_counts(
        filterset, ["sector", "requirement", "country", "organisation_kind", "children_focus"]
    )

    facets = client.get(f"{LIST}?{query}").json()["facets"]

    assert facets == {name: [option.__dict__ for option in options] for name, options in expected.items()}


@pytest.mark.usefixtures("three_initiatives")
def test_facets_may_be_repeated_instead_of_comma_separated(client):
    facets = client.get(LIST, {"facets": ["sector", "country"]}).json()["facets"]

    assert list(facets) == ["sector", "country"]


@pytest.mark.usefixtures("three_initiatives")
def test_without_facets_the_response_has_none(client):
    assert "facets" not in client.get(LIST).json()


def test_an_unknown_facet_is_a_400_naming_it(client):
    response = client.get(LIST, {"facets": "sector,colour"})

    assert response.status_code == 400
    assert list(response.json()) == ["facets"]
    assert "'colour'" in response.json()["facets"][0]


@pytest.mark.usefixtures("three_initiatives")
def test_facets_cost_a_fixed_number_of_queries_per_facet(client, django_assert_num_queries):
    # the 4 queries of the list (the data version among them, which the facets' cache key
    # reuses), then the counts of every facet at once, and the two facets' labels (one query);
    # the list's total comes with the facet counts, except on PostgreSQL, where an unfiltered
    # list's facets read the totals it keeps and its total is one more read of them
    total = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(4 - 1 + total + 1 + 1):
        client.get(LIST, {"facets": "sector,requirement", "page_size": 1})
    # another page of the same list: the facets (and the total) come from the cache
    with django_assert_num_queries(4 - 1 + total):
        client.get(LIST, {"facets": "sector,requirement", "page_size": 100})


@pytest.mark.usefixtures("three_initiatives")
def test_facets_read_the_initiatives_once_whatever_the_facets(client, django_assert_num_queries):
    # The filtered id set carries the initiative's own columns (lead organisation, children
    # focus, countries), so the facets counting them do not fetch every filtered initiative
    # again: for a search matching 7,700 of 100,000 that cost 0.4 s of database CPU.
    # (A filter that every initiative passes: the unfiltered list reads totals on PostgreSQL.)
    facets = "organisation,organisation_kind,country,children_focus"
    query = {"facets": facets, "page_size": 1, "updated_since": "2000-01-01T00:00:00Z"}
    # the list's 4 queries but its total, the counts (with the total), the organisations'
    # labels (the others are choices)
    with django_assert_num_queries(4 - 1 + 1 + 1) as captured:
        response = client.get(LIST, query)

    counting = next(query["sql"] for query in captured if query["sql"].startswith("WITH facet_ids"))
    after_the_id_set = counting.split(") SELECT ", 1)[1]
    assert not re.search(r'(FROM|JOIN) "?catalogue_initiative"?(\s|\)|$)', after_the_id_set)
    counts = {
        name: {o["value"]: o["count"] for o in options} for name, options in response.json()["facets"].items()
    }
    assert counts["country"] == {"CN": 2, "KE": 2}
    assert sum(counts["children_focus"].values()) == 3
    assert sum(counts["organisation_kind"].values()) == 3
    assert len(counts["organisation"]) == 3
