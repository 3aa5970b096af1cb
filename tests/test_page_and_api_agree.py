"""The query string is the public contract: /initiatives/?… and /api/v1/initiatives/?… (and
/organisations/?… and /api/v1/organisations/?…) answer the same query string the same way:
the same records in the same order, or the same error status.

The parameters are read from the FilterSets themselves, so a new filter without a case here
fails `test_every_filter_has_a_case`.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.core.cache import cache

from catalogue.filters import InitiativeFilterSet, OrganisationFilterSet
from catalogue.models import BeneficiaryGroup, Initiative, Organisation


@dataclass(frozen=True)
class Door:
    page: str
    api: str
    filterset: type


INITIATIVES = Door("/initiatives/", "/api/v1/initiatives/", InitiativeFilterSet)
ORGANISATIONS = Door("/organisations/", "/api/v1/organisations/", OrganisationFilterSet)


@dataclass(frozen=True)
class Case:
    """Values of one parameter: each valid one narrows (or, for `ordering`, reorders) the
    list; each invalid one is refused."""

    valid: list
    invalid: list = field(default_factory=list)


# One case per filter of each FilterSet, against the records of `catalogue` below.
CASES = {
    INITIATIVES: {
        "q": Case(["leopard", "reading"], ["a\x00b"]),
        "sector": Case(["education", "biodiversity"], ["atlantis", "Education!"]),
        "organisation": Case(["acme", "unicef"], ["nobody"]),
        "organisation_kind": Case(["un_agency"], ["guild"]),
        "source": Case(["plan"], ["nothing"]),
        "requirement": Case(["safety", "5", "2"], ["ten", "10", "0", "5.0"]),
        "technology": Case(["computer-vision"], ["telepathy"]),
        "beneficiary": Case(["children"], ["nobody"]),
        "country": Case(["CN", "KE"], ["XX", "cn"]),
        "year_min": Case(["2020"], ["soon", "2020.5"]),
        "year_max": Case(["2020"], ["NaN"]),
        "children_focus": Case(["true", "false"], ["1", "0", "yes", "maybe", "True"]),
        "task": Case(["detection", "triage"], ["hacking", "Detection!"]),
        "deployment": Case(["cloud", "hosted-service"], ["satellite", "Cloud"]),
        "licence": Case(["open-source", "commercial"], ["stolen"]),
        "ordering": Case(["newest"], ["random", "oldest"]),
        "updated_since": Case(["2026-02-01T00:00:00Z", "2026-02-01"], ["yesterday", "2026-13-01"]),
    },
    ORGANISATIONS: {
        "q": Case(["acme"], ["a\x00b"]),
        "kind": Case(["un_agency"], ["guild"]),
        "country": Case(["IT"], ["XX"]),
    },
}


def every(door, kind):
    return [
        pytest.param(door, name, value, id=f"{door.page}?{name}={value!r}")
        for name, case in CASES[door].items()
        for value in getattr(case, kind)
    ]


VALID = every(INITIATIVES, "valid") + every(ORGANISATIONS, "valid")
INVALID = every(INITIATIVES, "invalid") + every(ORGANISATIONS, "invalid")
PARAMETERS = [
    pytest.param(door, name, id=f"{door.page}?{name}")
    for door in CASES
    for name in door.filterset.base_filters
]


@pytest.fixture
def catalogue(
    make_initiative,
    make_organisation,
    make_sector,
    make_technology,
    make_source,
    make_requirement,
    make_tool_profile,
):
    """Three published initiatives and a draft, so that every value above selects some of
    them but not all."""
    acme = make_organisation(slug="acme", name="Acme", kind=Organisation.Kind.COMPANY, country="CN")
    unicef = make_organisation(slug="unicef", name="UNICEF", kind=Organisation.Kind.UN_AGENCY, country="IT")
    other = make_organisation(slug="other", name="Other", kind=Organisation.Kind.NGO, country="KE")
    education, biodiversity = make_sector(slug="education"), make_sector(slug="biodiversity")
    vision, speech = make_technology(slug="computer-vision"), make_technology(slug="speech")
    plan, report = make_source(slug="plan"), make_source(slug="report")
    safety, development = make_requirement(5, slug="safety"), make_requirement(2, slug="development")
    children = BeneficiaryGroup.objects.create(slug="children", name="Children")
    wildlife = BeneficiaryGroup.objects.create(slug="wildlife", name="Wildlife")

    def make(slug, month, beneficiaries, tool=None, **fields):
        initiative = make_initiative(
            slug=slug, published_at=datetime.datetime(2025, month, 1, tzinfo=datetime.UTC), **fields
        )
        initiative.beneficiary_groups.set(beneficiaries)
        if tool:  # issue 14's tool profiles; before the stamp below, which adding one moves
            make_tool_profile(initiative, **tool)
        Initiative.objects.filter(pk=initiative.pk).update(
            updated_at=datetime.datetime(2026, month, 1, tzinfo=datetime.UTC)
        )
        return initiative

    make(
        "snow-leopard",
        3,
        [wildlife],
        tool={"tasks": ["detection"], "deployment": "cloud", "licence": "open-source"},
        title="Snow leopard cameras",
        lead_organisation=acme,
        sectors=[biodiversity],
        technologies=[vision],
        requirements=[safety],
        sources=[plan],
        countries=["CN"],
        start_year=2018,
        children_focus=False,
    )
    make(
        "reading-helper",
        1,
        [children],
        tool={"tasks": ["triage", "detection"], "deployment": "hosted-service", "licence": "commercial"},
        title="A reading helper",
        lead_organisation=unicef,
        sectors=[education],
        technologies=[speech],
        requirements=[development],
        sources=[report],
        countries=["KE"],
        start_year=2021,
        children_focus=True,
    )
    make(
        "safe-schools",
        2,
        [children],
        title="Safe schools",
        lead_organisation=other,
        sectors=[education],
        technologies=[vision, speech],
        requirements=[safety, development],
        sources=[plan, report],
        countries=["CN", "KE"],
        start_year=2023,
        children_focus=True,
    ).partners.set([acme])
    make_initiative(
        slug="draft", title="A leopard draft", status=Initiative.Status.DRAFT, sectors=[education]
    )


def from_page(client, door, query):
    """(status, records in order) as the HTML list answers, following a redirect that drops
    empty parameters."""
    response = client.get(f"{door.page}?{query}", follow=True)
    if response.status_code != 200:
        return response.status_code, None
    return 200, [record.slug for record in response.context["page_obj"].object_list]


def from_api(client, door, query):
    response = client.get(f"{door.api}?{query}")
    if response.status_code != 200:
        return response.status_code, None
    return 200, [record["slug"] for record in response.json()["results"]]


def answers(client, door, query):
    """Both doors' answers, asserted equal; returns the API's records."""
    page, api = from_page(client, door, query), from_api(client, door, query)
    assert page == api, query
    return api[1]


def encode(name, value):
    return urlencode({name: value})


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]


@pytest.fixture(autouse=True)
def fresh_throttle():
    """These tests send hundreds of API requests; the anonymous throttle counts them in the
    cache, so each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(("door", "name"), PARAMETERS)
def test_every_filter_has_a_case(door, name):
    case = CASES[door].get(name)

    assert case and case.valid and case.invalid, f"add a case for {name} to CASES"


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(("door", "name", "value"), VALID)
def test_a_valid_value_gives_the_same_records_in_the_same_order(client, door, name, value):
    everything = answers(client, door, "")
    records = answers(client, door, encode(name, value))

    if name == "ordering":
        assert sorted(records) == sorted(everything) and records != everything
    else:
        # the filter narrows the list: some records, not all
        assert 0 < len(records) < len(everything), records


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(("door", "name", "value"), INVALID)
def test_an_invalid_value_is_a_400_on_both_doors(client, door, name, value):
    assert from_page(client, door, encode(name, value)) == from_api(client, door, encode(name, value))
    assert from_api(client, door, encode(name, value)) == (400, None)


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(("door", "name"), PARAMETERS)
def test_an_empty_value_means_not_given(client, door, name):
    assert answers(client, door, f"{name}=") == answers(client, door, "")


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize(("door", "name"), PARAMETERS)
def test_a_repeated_value_selects_any_of_them_or_is_a_400(client, door, name):
    first, second = CASES[door][name].valid[0], CASES[door][name].valid[-1]
    query = f"{encode(name, first)}&{encode(name, second)}"
    page, api = from_page(client, door, query), from_api(client, door, query)

    assert page == api
    if door.filterset.base_filters[name].field_class.__name__.endswith("MultipleChoiceField"):
        # any of the values: at least what each gives alone
        alone = set(answers(client, door, encode(name, first))) | set(
            answers(client, door, encode(name, second))
        )
        assert api == (200, [slug for slug in api[1] if slug in alone]) and set(api[1]) == alone
    else:
        assert api == (400, None)


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize("door", CASES)
def test_unknown_parameters_are_a_400_naming_them_on_both_doors(client, door):
    page = client.get(door.page, {"sectors": "education"})
    api = client.get(door.api, {"sectors": "education"})

    assert page.status_code == api.status_code == 400
    assert list(api.json()) == ["sectors"]
    assert "sectors" in api.json()["sectors"][0]
    assert "sectors" in page.content.decode()


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize("door", CASES)
@pytest.mark.parametrize("name", ["%", "100%s", "%(name)s"])
def test_an_unknown_parameter_with_a_percent_sign_is_a_400_not_a_500(client, door, name):
    # Found by the fuzzer: the message quoting the name was used as a format string.
    page = client.get(door.page, {name: "1"})
    api = client.get(door.api, {name: "1"})

    assert page.status_code == api.status_code == 400
    assert api.json()[name] == [api.json()[name][0]] and name in api.json()[name][0]


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize("door", CASES)
@pytest.mark.parametrize("page", ["abc", "1.5", "2.0"])
def test_a_page_that_is_not_a_whole_number_is_a_400_on_both_doors(client, door, page):
    assert client.get(door.page, {"page": page}).status_code == 400
    response = client.get(door.api, {"page": page})
    assert response.status_code == 400
    assert list(response.json()) == ["page"]


# --- The shipped catalogue ---------------------------------------------------------------------

QUERIES = [
    "",
    "sector=accessibility&technology=speech-recognition",
    "requirement=safety",
    "requirement=5",
    "organisation=tencent",
    "organisation=tencent&organisation=microsoft&ordering=title",
    "organisation_kind=un_agency&children_focus=true",
    "children_focus=false",
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


@pytest.mark.parametrize("query", QUERIES)
def test_page_and_api_return_the_same_initiatives_in_the_same_order(client, shipped_catalogue, query):
    from_page = slugs_from_page(client, query)

    assert from_page == slugs_from_api(client, query)


def test_the_queries_above_are_not_all_trivially_empty(client, shipped_catalogue):
    non_empty = [query for query in QUERIES if slugs_from_api(client, query)]

    assert len(non_empty) == len(QUERIES)


def test_a_requirement_by_number_selects_what_its_slug_selects(client, shipped_catalogue):
    assert slugs_from_api(client, "requirement=5") == slugs_from_api(client, "requirement=safety")


def test_every_organisation_the_page_lists_the_api_lists(client, shipped_catalogue):
    page = client.get("/organisations/")
    api = client.get("/api/v1/organisations/", {"page_size": 100}).json()

    assert [organisation.slug for organisation in page.context["paginator"].object_list] == [
        organisation["slug"] for organisation in api["results"]
    ]


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
