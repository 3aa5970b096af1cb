"""/api/v1/initiatives/: the list and the detail."""

import pytest
from django.utils import timezone

from catalogue.models import BeneficiaryGroup, Initiative, KeyFigure
from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db

LIST = "/api/v1/initiatives/"


def test_list_shows_only_published_initiatives(client, make_initiative):
    make_initiative(slug="live")
    make_initiative(slug="draft", status=Initiative.Status.DRAFT)
    make_initiative(slug="archived", status=Initiative.Status.ARCHIVED)

    response = client.get(LIST)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert slugs(response) == ["live"]


def test_list_row_carries_what_a_tool_needs(
    client, make_initiative, make_organisation, make_sector, make_technology, make_source, make_requirement
):
    initiative = make_initiative(
        slug="reader",
        title="Reading helper",
        title_zh="阅读助手",
        summary="Reads aloud.",
        lead_organisation=make_organisation(slug="acme", name="Acme"),
        sectors=[make_sector(slug="education", name="Education")],
        technologies=[make_technology(slug="speech-synthesis", name="Speech synthesis")],
        requirements=[make_requirement(2), make_requirement(5)],
        sources=[make_source(slug="plan", title="The plan")],
        countries=["CN", "KE"],
        start_year=2022,
        children_focus=True,
    )

    row = client.get(LIST).json()["results"][0]

    assert row == {
        "slug": "reader",
        "url": "http://testserver/api/v1/initiatives/reader/",
        "html_url": "http://testserver/initiatives/reader/",
        "title": "Reading helper",
        "title_zh": "阅读助手",
        "summary": "Reads aloud.",
        "summary_zh": "",
        # every language but English, with its origin (none recorded here); issue 15
        "translations": {"zh-hans": {"title": "阅读助手", "summary": "", "origin": ""}},
        "sectors": [
            {"slug": "education", "name": "Education", "url": "http://testserver/api/v1/sectors/education/"}
        ],
        "lead_organisation": {
            "slug": "acme",
            "name": "Acme",
            "url": "http://testserver/api/v1/organisations/acme/",
        },
        "countries": ["CN", "KE"],
        "technologies": [
            {
                "slug": "speech-synthesis",
                "name": "Speech synthesis",
                "url": "http://testserver/api/v1/technologies/speech-synthesis/",
            }
        ],
        "requirements": [2, 5],
        "sources": [{"slug": "plan", "name": "The plan", "url": "http://testserver/api/v1/sources/plan/"}],
        "start_year": 2022,
        "children_focus": True,
        "updated_at": initiative.updated_at.isoformat().replace("+00:00", "Z"),
        # no tool profile (issue 14)
        "tasks": [],
        "deployment": None,
        "licence": None,
    }


def test_list_row_without_lead_organisation_has_null(client, make_initiative):
    make_initiative(lead_organisation=None)

    assert client.get(LIST).json()["results"][0]["lead_organisation"] is None


def test_detail_adds_everything_the_page_shows(
    client, make_initiative, make_organisation, make_source, make_requirement
):
    initiative = make_initiative(
        slug="reader",
        description="Longer text.",
        requirements=[make_requirement(5)],
        sources=[make_source(slug="plan", title="The plan")],
    )
    initiative.partners.set([make_organisation(slug="partner", name="Partner")])
    initiative.beneficiary_groups.set([BeneficiaryGroup.objects.create(slug="children", name="Children")])
    KeyFigure.objects.create(
        initiative=initiative,
        text="1 million readers",
        text_zh="一百万读者",
        location="P3",
        quote="a million",
    )
    alignment = initiative.alignments.get()
    alignment.evidence_quote, alignment.evidence_location = "keeps children safe", "P4"
    alignment.save()
    citation = initiative.citations.get()
    citation.quote = "A reading helper."
    citation.save()

    response = client.get(f"{LIST}reader/")

    assert response.status_code == 200
    detail = response.json()
    assert detail["description"] == "Longer text."
    assert detail["partners"] == [
        {"slug": "partner", "name": "Partner", "url": "http://testserver/api/v1/organisations/partner/"}
    ]
    assert detail["beneficiaries"] == [
        {"slug": "children", "name": "Children", "url": "http://testserver/api/v1/beneficiaries/children/"}
    ]
    assert detail["key_figures"] == [
        {"text": "1 million readers", "text_zh": "一百万读者", "location": "P3", "quote": "a million"}
    ]
    assert detail["alignments"] == [
        {
            "requirement": {
                "number": 5,
                "slug": "requirement-5",
                "name": "Requirement 5",
                "url": "http://testserver/api/v1/requirements/5/",
            },
            "strength": "addressed",
            "basis": "inferred",
            "rationale": "Test rationale.",
            "evidence_quote": "keeps children safe",
            "evidence_location": "P4",
            "made_by": "editors",
        }
    ]
    assert detail["citations"] == [
        {
            "source": {"slug": "plan", "name": "The plan", "url": "http://testserver/api/v1/sources/plan/"},
            "location": "P1",
            "quote": "A reading helper.",
        }
    ]
    assert detail["requirements"] == [5]
    assert detail["published_at"] is not None


def test_detail_of_an_unpublished_initiative_is_a_404(client, make_initiative):
    make_initiative(slug="draft", status=Initiative.Status.DRAFT)

    response = client.get(f"{LIST}draft/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Initiative matches the given query."}


def test_unknown_slug_is_a_404_json(client):
    response = client.get(f"{LIST}no-such-initiative/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_pages_carry_count_next_and_previous(client, make_initiative):
    for letter in "abcde":
        make_initiative(slug=letter, title=letter.upper())

    first = client.get(LIST, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 5
    assert [row["slug"] for row in first["results"]] == ["a", "b"]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/initiatives/?page=2&page_size=2"
    assert [row["slug"] for row in second["results"]] == ["c", "d"]
    assert second["previous"] == "http://testserver/api/v1/initiatives/?page_size=2"


def test_default_page_size_is_twenty(client, make_initiative):
    for number in range(21):
        make_initiative(slug=f"case-{number:02}")

    response = client.get(LIST)

    assert len(response.json()["results"]) == 20


def test_page_size_up_to_the_maximum_is_honoured(client, settings, make_initiative):
    settings.API_MAX_PAGE_SIZE = 3
    for letter in "abcd":
        make_initiative(slug=letter)

    assert len(client.get(LIST, {"page_size": 3}).json()["results"]) == 3


@pytest.mark.parametrize("page_size", ["101", "0", "-1", "ten", "2.5", "1_0"])
def test_bad_page_size_is_a_400_not_silently_changed(client, page_size):
    response = client.get(LIST, {"page_size": page_size})

    assert response.status_code == 400
    assert response.json() == {"page_size": ["Enter a whole number from 1 to 100."]}


@pytest.mark.parametrize("page", ["99999", "0", "-1"])
def test_page_past_the_end_is_a_404_json(client, make_initiative, page):
    make_initiative()

    response = client.get(LIST, {"page": page})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.fixture
def thirty_initiatives(make_initiative, make_sector, make_technology, make_source, make_requirement):
    """Thirty initiatives, each with a value in every related field a list row shows."""
    sector, technology, source = make_sector(slug="education"), make_technology(), make_source()
    for _ in range(30):
        make_initiative(
            sectors=[sector], technologies=[technology], sources=[source], requirements=[make_requirement(5)]
        )


@pytest.mark.usefixtures("thirty_initiatives")
def test_list_costs_the_same_queries_for_a_page_of_2_and_of_100(client, django_assert_num_queries):
    for page_size in (2, 100):
        # catalogue state for the ETag, count, page with lead organisations, then one query
        # for their sectors, technologies, citations with their sources and alignments with
        # their requirements
        with django_assert_num_queries(4):
            response = client.get(LIST, {"page_size": page_size})
        assert len(response.json()["results"]) == min(page_size, 30)


@pytest.mark.usefixtures("thirty_initiatives")
def test_filtered_list_costs_the_same_queries_for_any_page_size(client, django_assert_num_queries):
    for page_size in (2, 100):
        # the 4 queries of a plain list, plus checking that the sector slug exists
        with django_assert_num_queries(5):
            client.get(LIST, {"page_size": page_size, "sector": "education"})


def test_detail_costs_a_fixed_number_of_queries(
    client,
    make_initiative,
    make_sector,
    make_technology,
    make_source,
    make_requirement,
    django_assert_num_queries,
):
    initiative = make_initiative(
        slug="reader",
        sectors=[make_sector()],
        technologies=[make_technology()],
        sources=[make_source()],
        requirements=[make_requirement(5)],
    )
    initiative.partners.set([initiative.lead_organisation])
    initiative.beneficiary_groups.set([BeneficiaryGroup.objects.create(slug="children", name="Children")])
    KeyFigure.objects.create(initiative=initiative, text="1 million readers")

    # catalogue state, the initiative with its lead organisation, then in one query its
    # sectors, technologies, citations with their sources, alignments with their requirements,
    # partners, beneficiary groups, key figures and the reports and events featuring it
    with django_assert_num_queries(3):
        response = client.get(f"{LIST}reader/")
    assert response.status_code == 200


def test_updated_at_is_the_last_change(client, make_initiative):
    initiative = make_initiative()
    Initiative.objects.filter(pk=initiative.pk).update(
        updated_at=timezone.datetime(2026, 3, 1, tzinfo=timezone.UTC)
    )

    assert client.get(LIST).json()["results"][0]["updated_at"] == "2026-03-01T00:00:00Z"
