"""The query string is the public contract: /initiatives/?… and /api/v1/initiatives/?…
return the same initiatives, in the same order, for the same parameters."""

import pytest

QUERIES = [
    "",
    "sector=accessibility&technology=speech-recognition",
    "requirement=safety",
    "organisation=tencent",
    "organisation=tencent&organisation=microsoft&ordering=title",
    "organisation_kind=un_agency&children_focus=true",
    "source=wic-ai-for-social-good-action-plan-2023-2025&sector=education&ordering=newest",
    "country=CN&beneficiary=people-with-hearing-impairments",
    "year_min=2018&year_max=2021",
    "q=snow+leopard",
    "q=hearing&sector=accessibility",
    "q=助听器",
]


def slugs_from_page(client, query):
    """Every initiative the HTML list shows, following its pagination."""
    slugs, page = [], 1
    while True:
        response = client.get(f"/initiatives/?{query}&page={page}")
        assert response.status_code == 200, query
        slugs += [initiative.slug for initiative in response.context["page_obj"].object_list]
        if not response.context["page_obj"].has_next():
            return slugs
        page += 1


def slugs_from_api(client, query):
    response = client.get(f"/api/v1/initiatives/?{query}&page_size=100")
    assert response.status_code == 200, query
    body = response.json()
    assert body["next"] is None, "more than one API page: raise page_size in this test"
    return [initiative["slug"] for initiative in body["results"]]


@pytest.mark.django_db
@pytest.mark.parametrize("query", QUERIES)
def test_page_and_api_return_the_same_initiatives_in_the_same_order(client, shipped_catalogue, query):
    from_page = slugs_from_page(client, query)

    assert from_page == slugs_from_api(client, query)


@pytest.mark.django_db
def test_the_queries_above_are_not_all_trivially_empty(client, shipped_catalogue):
    non_empty = [query for query in QUERIES if slugs_from_api(client, query)]

    assert len(non_empty) == len(QUERIES)


@pytest.mark.django_db
def test_page_and_api_facet_counts_agree(client, shipped_catalogue):
    query = "sector=education&requirement=prepare-children-for-ai"
    page_facets = {
        field.name: options for field, options in client.get(f"/initiatives/?{query}").context["facets"]
    }
    api_facets = client.get(f"/api/v1/initiatives/?{query}&facets=sector,requirement,country").json()[
        "facets"
    ]

    for name in ["sector", "requirement", "country"]:
        from_page = {option.value: option.count for option in page_facets[name]}
        from_api = {option["value"]: option["count"] for option in api_facets[name]}
        assert from_page == from_api, name
