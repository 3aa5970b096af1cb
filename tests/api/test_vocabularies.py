"""Organisations, sectors, technologies, beneficiaries, requirements and sources: list and
detail, each with its count of published initiatives."""

import pytest

from catalogue.models import BeneficiaryGroup, Initiative
from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db


def test_sector_list_counts_only_published_initiatives(client, make_initiative, make_sector):
    education = make_sector(slug="education", name="Education")
    make_sector(slug="health")
    make_initiative(sectors=[education])
    make_initiative(sectors=[education])
    make_initiative(sectors=[education], status=Initiative.Status.DRAFT)

    response = client.get("/api/v1/sectors/")

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert {row["slug"]: row["initiative_count"] for row in response.json()["results"]} == {
        "education": 2,
        "health": 0,
    }


def test_sector_detail(client, make_initiative, make_sector):
    make_initiative(sectors=[make_sector(slug="education", name="Education", name_zh="教育")])

    response = client.get("/api/v1/sectors/education/")

    assert response.status_code == 200
    assert response.json() == {
        "slug": "education",
        "url": "http://testserver/api/v1/sectors/education/",
        "html_url": "http://testserver/sectors/education/",
        "name": "Education",
        "name_zh": "教育",
        "description": "",
        "initiative_count": 1,
        "initiatives": "http://testserver/api/v1/initiatives/?sector=education",
        "translations": {"zh-hans": {"name": "教育", "origin": ""}},
        "name_zh_origin": "",
    }


def test_initiatives_link_lists_what_the_count_counts(client, make_initiative, make_technology):
    speech = make_technology(slug="speech-recognition")
    make_initiative(slug="listens", technologies=[speech])
    make_initiative(slug="other")

    technology = client.get("/api/v1/technologies/speech-recognition/").json()

    assert technology["initiative_count"] == 1
    assert slugs(client.get(technology["initiatives"])) == ["listens"]


def test_organisation_counts_initiatives_it_leads_or_partners_in(client, make_initiative, make_organisation):
    acme = make_organisation(slug="acme", name="Acme", country="CN")
    make_initiative(lead_organisation=acme)
    make_initiative().partners.set([acme])
    make_initiative(lead_organisation=acme, status=Initiative.Status.DRAFT)

    response = client.get("/api/v1/organisations/acme/")

    assert response.json() == {
        "slug": "acme",
        "url": "http://testserver/api/v1/organisations/acme/",
        "html_url": "http://testserver/organisations/acme/",
        "name": "Acme",
        "name_zh": "",
        "description": "",
        "initiative_count": 2,
        "initiatives": "http://testserver/api/v1/initiatives/?organisation=acme",
        "translations": {},
        "name_zh_origin": "",
        "kind": "company",
        "country": "CN",
        "website": None,
    }


def test_organisation_list_filters_by_kind(client, make_initiative, make_organisation):
    for slug, kind in [("unicef", "un_agency"), ("acme", "company"), ("wwf", "ngo")]:
        make_initiative(lead_organisation=make_organisation(slug=slug, kind=kind))

    assert slugs(client.get("/api/v1/organisations/", {"kind": "un_agency"})) == ["unicef"]


def test_beneficiary_detail(client, make_initiative):
    children = BeneficiaryGroup.objects.create(slug="children", name="Children", name_zh="儿童")
    make_initiative().beneficiary_groups.set([children])

    response = client.get("/api/v1/beneficiaries/children/")

    assert response.json()["initiative_count"] == 1
    assert response.json()["name_zh"] == "儿童"
    assert response.json()["initiatives"] == "http://testserver/api/v1/initiatives/?beneficiary=children"


def test_requirement_detail_is_found_by_number(client, make_initiative, make_requirement):
    safety = make_requirement(5, slug="safety", title="Ensure safety for children", title_zh="确保儿童安全")
    make_initiative(requirements=[safety])

    response = client.get("/api/v1/requirements/5/")

    assert response.json() == {
        "number": 5,
        "slug": "safety",
        "url": "http://testserver/api/v1/requirements/5/",
        "html_url": "http://testserver/requirements/5/",
        "title": "Ensure safety for children",
        "title_zh": "确保儿童安全",
        "description": "",
        "initiative_count": 1,
        "initiatives": "http://testserver/api/v1/initiatives/?requirement=safety",
        "title_zh_origin": "",
        "translations": {"zh-hans": {"title": "确保儿童安全", "origin": ""}},
    }


@pytest.mark.parametrize("number", ["7", "abc", "99999999999999999999999"])
def test_unknown_requirement_number_is_a_404_json(client, make_requirement, number):
    make_requirement(5)

    response = client.get(f"/api/v1/requirements/{number}/")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_requirements_are_listed_by_number(client, make_requirement):
    for number in (9, 1, 5):
        make_requirement(number)

    numbers = [row["number"] for row in client.get("/api/v1/requirements/").json()["results"]]

    assert numbers == [1, 5, 9]


def test_source_detail(client, make_initiative, make_source):
    plan = make_source(slug="plan", title="Action plan", url="https://example.org/plan.pdf", publisher="WIC")
    make_initiative(sources=[plan])

    source = client.get("/api/v1/sources/plan/").json()

    assert source["title"] == "Action plan"
    assert source["document_url"] == "https://example.org/plan.pdf"
    assert source["publisher"] == "WIC"
    assert source["initiative_count"] == 1
    assert source["url"] == "http://testserver/api/v1/sources/plan/"


@pytest.mark.parametrize("endpoint", ["organisations", "sectors", "technologies", "beneficiaries", "sources"])
def test_unknown_slug_is_a_404_json(client, endpoint):
    response = client.get(f"/api/v1/{endpoint}/no-such-thing/")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_organisation_list_shows_the_organisations_in_use_as_the_page_does(
    client, make_initiative, make_organisation
):
    make_initiative(lead_organisation=make_organisation(slug="leads"))
    make_initiative(lead_organisation=make_organisation(slug="drafts"), status=Initiative.Status.DRAFT)
    make_organisation(slug="unused")

    assert slugs(client.get("/api/v1/organisations/")) == ["leads"]
    assert client.get("/api/v1/organisations/unused/").status_code == 200  # still readable by slug


@pytest.mark.parametrize("page_size", [1, 100])
def test_sector_list_costs_the_same_queries_for_any_page_size(
    client, make_initiative, make_sector, page_size, django_assert_num_queries
):
    for _ in range(5):
        make_initiative(sectors=[make_sector()])

    # catalogue state for the ETag, count, the page with each sector's initiative count
    with django_assert_num_queries(3):
        client.get("/api/v1/sectors/", {"page_size": page_size})


def test_a_missing_url_is_null_not_an_empty_string(client, make_source, make_organisation):
    make_source(slug="transcript", url="")
    make_organisation(slug="acme", website="")

    assert client.get("/api/v1/sources/transcript/").json()["document_url"] is None
    assert client.get("/api/v1/organisations/acme/").json()["website"] is None


def test_a_slug_with_a_dot_is_a_404_json_not_an_html_page(client):
    response = client.get("/api/v1/sectors/v1.2/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Sector matches the given query."}
