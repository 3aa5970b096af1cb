"""The initiatives list's filters: the page's query string, plus `updated_since`.

Each filter test builds three records and asserts exactly which come back.
"""

import datetime

import pytest

from catalogue.models import BeneficiaryGroup, Initiative, Organisation
from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db

LIST = "/api/v1/initiatives/"


def get(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.content
    return sorted(slugs(response))


def test_q_searches_titles_in_english_and_chinese(client, make_initiative):
    make_initiative(slug="reader", title="Reading helper")
    make_initiative(slug="zh", title="Other", title_zh="阅读助手")
    make_initiative(slug="other", title="Tree counter")

    assert get(client, q="reading") == ["reader"]
    assert get(client, q="阅读") == ["zh"]


def test_sector_filter_excludes_other_sectors(client, make_initiative, make_sector):
    education, health, culture = make_sector(slug="education"), make_sector(slug="health"), make_sector()
    make_initiative(slug="school", sectors=[education])
    make_initiative(slug="clinic", sectors=[health])
    make_initiative(slug="museum", sectors=[culture])

    assert get(client, sector="education") == ["school"]


def test_repeated_sector_selects_any_of_them(client, make_initiative, make_sector):
    education, health, culture = make_sector(slug="education"), make_sector(slug="health"), make_sector()
    make_initiative(slug="school", sectors=[education])
    make_initiative(slug="clinic", sectors=[health])
    make_initiative(slug="museum", sectors=[culture])

    assert get(client, sector=["education", "health"]) == ["clinic", "school"]


def test_different_filters_must_all_match(client, make_initiative, make_sector, make_technology):
    education, speech = make_sector(slug="education"), make_technology(slug="speech-recognition")
    make_initiative(slug="both", sectors=[education], technologies=[speech])
    make_initiative(slug="sector-only", sectors=[education])
    make_initiative(slug="technology-only", technologies=[speech])

    assert get(client, sector="education", technology="speech-recognition") == ["both"]


def test_organisation_filter_matches_lead_or_partner(client, make_initiative, make_organisation):
    acme = make_organisation(slug="acme")
    make_initiative(slug="led", lead_organisation=acme)
    make_initiative(slug="partnered").partners.set([acme])
    make_initiative(slug="other")

    assert get(client, organisation="acme") == ["led", "partnered"]


def test_organisation_kind_filter_looks_at_the_lead(client, make_initiative, make_organisation):
    make_initiative(slug="agency", lead_organisation=make_organisation(kind=Organisation.Kind.UN_AGENCY))
    make_initiative(slug="company", lead_organisation=make_organisation(kind=Organisation.Kind.COMPANY))
    make_initiative(slug="ngo", lead_organisation=make_organisation(kind=Organisation.Kind.NGO))

    assert get(client, organisation_kind="un_agency") == ["agency"]


def test_source_filter(client, make_initiative, make_source):
    plan, report = make_source(slug="plan"), make_source(slug="report")
    make_initiative(slug="in-plan", sources=[plan])
    make_initiative(slug="in-report", sources=[report])
    make_initiative(slug="in-both", sources=[plan, report])

    assert get(client, source="plan") == ["in-both", "in-plan"]


def test_requirement_filter(client, make_initiative, make_requirement):
    safety, privacy = make_requirement(5, slug="safety"), make_requirement(4, slug="data-and-privacy")
    make_initiative(slug="safe", requirements=[safety])
    make_initiative(slug="private", requirements=[privacy])
    make_initiative(slug="none")

    assert get(client, requirement="safety") == ["safe"]


def test_technology_filter(client, make_initiative, make_technology):
    speech, vision = make_technology(slug="speech-recognition"), make_technology(slug="computer-vision")
    make_initiative(slug="listens", technologies=[speech])
    make_initiative(slug="sees", technologies=[vision])
    make_initiative(slug="none")

    assert get(client, technology="computer-vision") == ["sees"]


def test_beneficiary_filter(client, make_initiative):
    children = BeneficiaryGroup.objects.create(slug="children", name="Children")
    elders = BeneficiaryGroup.objects.create(slug="older-people", name="Older people")
    make_initiative(slug="for-children").beneficiary_groups.set([children])
    make_initiative(slug="for-elders").beneficiary_groups.set([elders])
    make_initiative(slug="none")

    assert get(client, beneficiary="children") == ["for-children"]


def test_country_filter_matches_any_of_several_countries(client, make_initiative):
    make_initiative(slug="china", countries=["CN"])
    make_initiative(slug="china-and-kenya", countries=["KE", "CN"])
    make_initiative(slug="usa", countries=["US"])

    assert get(client, country="CN") == ["china", "china-and-kenya"]
    assert get(client, country=["KE", "US"]) == ["china-and-kenya", "usa"]


def test_year_min_and_year_max_bound_the_start_year(client, make_initiative):
    make_initiative(slug="old", start_year=2015)
    make_initiative(slug="mid", start_year=2020)
    make_initiative(slug="new", start_year=2024)

    assert get(client, year_min=2020) == ["mid", "new"]
    assert get(client, year_max=2020) == ["mid", "old"]
    assert get(client, year_min=2016, year_max=2023) == ["mid"]


@pytest.mark.parametrize("written", ["2020.0", "2020.", "1837569321732782.0", "2020.5", "1e3", "twenty"])
def test_a_year_written_other_than_in_digits_is_a_400_naming_it(client, make_initiative, written):
    """The schema says a year is an integer; Django's IntegerField also took "2020.0"
    (schemathesis found `?year_max=1837569321732782.0` answered 200). The list page says the same."""
    make_initiative(slug="mid", start_year=2020)

    for parameter in ("year_min", "year_max"):
        response = client.get(LIST, {parameter: written})
        assert response.status_code == 400
        assert list(response.json()) == [parameter]
        assert client.get("/initiatives/", {parameter: written}).status_code == 400
    assert get(client, year_min="-2020", year_max=" 2020 ") == ["mid"]  # a sign and spaces are fine


def test_children_focus_filter(client, make_initiative):
    make_initiative(slug="for-children", children_focus=True)
    make_initiative(slug="general", children_focus=False)
    make_initiative(slug="also-general")

    assert get(client, children_focus="true") == ["for-children"]
    assert get(client, children_focus="false") == ["also-general", "general"]


def test_updated_since_returns_initiatives_changed_at_or_after(client, make_initiative):
    for slug, day in [("january", 1), ("february", 2), ("march", 3)]:
        initiative = make_initiative(slug=slug)
        stamp = datetime.datetime(2026, day, 1, tzinfo=datetime.UTC)
        Initiative.objects.filter(pk=initiative.pk).update(updated_at=stamp)

    assert get(client, updated_since="2026-02-01T00:00:00Z") == ["february", "march"]
    assert get(client, updated_since="2026-02-01") == ["february", "march"]
    assert get(client, updated_since="2026-02-01T01:00:00+02:00") == ["february", "march"]
    assert get(client, updated_since="2026-02-01T00:00:01Z") == ["march"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("title", ["apple", "banana", "cherry"]), ("newest", ["banana", "cherry", "apple"])],
)
def test_ordering(client, make_initiative, ordering, expected):
    for slug, published_day in [("banana", 3), ("cherry", 2), ("apple", 1)]:
        make_initiative(
            slug=slug,
            title=slug.title(),
            published_at=datetime.datetime(2026, 1, published_day, tzinfo=datetime.UTC),
        )

    assert slugs(client.get(LIST, {"ordering": ordering})) == expected


def test_an_unknown_parameter_is_a_400_naming_it(client, make_initiative):
    make_initiative(slug="only")

    response = client.get(LIST, {"colour": "blue", "sectors": "education"})

    assert response.status_code == 400
    assert sorted(response.json()) == ["colour", "sectors"]
    assert response.json()["sectors"][0].startswith(
        "Unknown parameter “sectors”; this list takes beneficiary,"
    )


def test_the_apis_own_parameters_are_known(client, make_initiative):
    make_initiative(slug="only")

    assert get(client, page=1, page_size=5, format="json", facets="sector") == ["only"]


@pytest.mark.parametrize(
    "parameter", ["q", "sector", "requirement", "children_focus", "updated_since", "page"]
)
def test_an_empty_value_means_not_given(client, make_initiative, parameter):
    make_initiative(slug="only")

    assert get(client, **{parameter: ""}) == ["only"]


def test_requirement_by_number_or_slug_selects_the_same_initiatives(
    client, make_initiative, make_requirement
):
    safety, privacy = make_requirement(5, slug="safety"), make_requirement(4, slug="data-and-privacy")
    make_initiative(slug="safe", requirements=[safety])
    make_initiative(slug="private", requirements=[privacy])
    make_initiative(slug="none")

    assert get(client, requirement="5") == get(client, requirement="safety") == ["safe"]
    assert get(client, requirement=["5", "data-and-privacy"]) == ["private", "safe"]


@pytest.mark.parametrize("value", ["1", "0", "yes", "True"])
def test_children_focus_takes_only_true_or_false(client, value):
    response = client.get(LIST, {"children_focus": value})

    assert response.status_code == 400
    assert response.json() == {"children_focus": ["Enter true or false."]}


@pytest.mark.parametrize("page", ["abc", "2.0", "1e3"])
def test_a_page_that_is_not_a_whole_number_is_a_400(client, page):
    response = client.get(LIST, {"page": page})

    assert response.status_code == 400
    assert response.json() == {"page": ["Enter a whole number."]}


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("sector", "nowhere"),
        ("organisation", "nobody"),
        ("source", "nothing"),
        ("requirement", "ten"),
        ("requirement", "10"),
        ("technology", "telepathy"),
        ("beneficiary", "nobody"),
        ("organisation_kind", "guild"),
        ("country", "XX"),
        ("ordering", "random"),
    ],
)
def test_an_unknown_value_is_a_400_naming_the_parameter(client, parameter, value):
    response = client.get(LIST, {parameter: value})

    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    assert value in response.json()[parameter][0]


@pytest.mark.parametrize(
    ("parameter", "value", "message"),
    [
        ("updated_since", "yesterday", "Enter a valid date/time."),
        ("updated_since", "2026-13-01", "Enter a valid date/time."),
        (
            "updated_since",
            "9999-12-31T23:00:00-05:00",
            "Enter a date-time between the years 1 and 9999 in UTC.",
        ),
        ("year_min", "soon", "Enter a whole number."),
        ("year_max", "NaN", "Enter a whole number."),
        ("children_focus", "maybe", "Enter true or false."),
        ("q", "a\x00b", "Null characters are not allowed."),
        ("sector", "a\x00b", "Null characters are not allowed."),
    ],
)
def test_unreadable_input_is_a_400_saying_why(client, parameter, value, message):
    response = client.get(LIST, {parameter: value})

    assert response.status_code == 400
    assert response.json() == {parameter: [message]}
