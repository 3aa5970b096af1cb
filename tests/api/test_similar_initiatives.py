"""/api/v1/initiatives/similar/: published cases whose titles look like one being typed."""

import pytest

from catalogue.models import Initiative

pytestmark = pytest.mark.django_db

SIMILAR = "/api/v1/initiatives/similar/"


def titles(response):
    return [record["title"] for record in response.json()]


def test_similar_lists_published_cases_with_a_similar_title_and_their_score(client, make_initiative):
    make_initiative(slug="safer-children", title="AI for Safer Children")
    make_initiative(slug="weather", title="Flood forecasting for farmers")

    response = client.get(SIMILAR, {"title": "AI for safer children"})

    assert response.status_code == 200
    [record] = response.json()
    assert record["slug"] == "safer-children"
    assert record["title"] == "AI for Safer Children"
    assert record["html_url"] == "http://testserver/initiatives/safer-children/"
    assert record["title_similarity"] == 1.0
    assert record["same_organisation"] is False


def test_similar_never_lists_unpublished_records(client, make_initiative):
    for status in [s for s in Initiative.Status if s != Initiative.Status.PUBLISHED]:
        make_initiative(slug=f"copy-{status}", title="AI for Safer Children", status=status)

    response = client.get(SIMILAR, {"title": "AI for Safer Children"})

    assert response.status_code == 200
    assert response.json() == []


def test_similar_ranks_the_case_of_the_named_organisation_first(client, make_initiative, make_organisation):
    acme = make_organisation(slug="acme", name="Acme Foundation")
    other = make_organisation(slug="other", name="Other Trust")
    make_initiative(slug="by-acme", title="Chatbot for school counselling", lead_organisation=acme)
    make_initiative(slug="by-other", title="Chatbot for school counselling", lead_organisation=other)

    by_name = client.get(
        SIMILAR, {"title": "Chatbot for school counselling", "organisation": "acme foundation"}
    )
    by_slug = client.get(SIMILAR, {"title": "Chatbot for school counselling", "organisation": "other"})

    assert [r["slug"] for r in by_name.json()] == ["by-acme", "by-other"]
    assert [r["same_organisation"] for r in by_name.json()] == [True, False]
    assert [r["slug"] for r in by_slug.json()] == ["by-other", "by-acme"]


def test_similar_lists_at_most_five_cases(client, make_initiative):
    for n in range(8):
        make_initiative(title=f"Reading tutor for children {n}")

    response = client.get(SIMILAR, {"title": "Reading tutor for children"})

    assert len(response.json()) == 5


@pytest.mark.parametrize("query", [{}, {"title": ""}, {"title": "AI"}, {"title": "   "}])
def test_similar_without_a_usable_title_is_a_400_naming_it(client, query):
    response = client.get(SIMILAR, query)

    assert response.status_code == 400
    assert list(response.json()) == ["title"]


def test_similar_costs_a_fixed_number_of_queries(client, make_initiative, django_assert_num_queries):
    for n in range(6):
        make_initiative(title=f"Safer children online {n}")

    # catalogue state for the ETag, the similar titles with their scores, the initiatives
    # with their lead organisations
    with django_assert_num_queries(3):
        response = client.get(SIMILAR, {"title": "Safer children online", "organisation": "acme"})

    assert len(response.json()) == 5
