"""InitiativeFilterSet and OrganisationFilterSet: each parameter narrows the results.

Every filter has a test with three records proving it selects exactly the right ones (and
tests/test_page_and_api_agree.py checks that every filter narrows the list on both doors).
"""

import datetime

import pytest
from django.http import QueryDict

from catalogue.facets import facet_counts
from catalogue.filters import InitiativeFilterSet, OrganisationFilterSet, PageNumberField
from catalogue.models import BeneficiaryGroup, Initiative, KeyFigure, Organisation


def filtered(query_string):
    filterset = InitiativeFilterSet(QueryDict(query_string), queryset=Initiative.objects.for_listing())
    assert filterset.is_valid(), filterset.errors
    return sorted(initiative.slug for initiative in filterset.qs)


@pytest.fixture
def three_sectors(make_initiative, make_sector):
    education, health, culture = (make_sector(slug=s) for s in ["education", "health", "culture"])
    make_initiative(slug="a", sectors=[education])
    make_initiative(slug="b", sectors=[health])
    make_initiative(slug="c", sectors=[education, culture])


def test_sector_filter_excludes_other_sectors(three_sectors):
    assert filtered("sector=education") == ["a", "c"]


def test_repeated_parameter_selects_any_of_its_values(three_sectors):
    assert filtered("sector=health&sector=culture") == ["b", "c"]


def test_unknown_sector_slug_is_an_error_not_ignored(three_sectors):
    filterset = InitiativeFilterSet(QueryDict("sector=nowhere"), queryset=Initiative.objects.all())

    assert not filterset.is_valid()
    assert "sector" in filterset.errors


def errors_for(query_string):
    filterset = InitiativeFilterSet(QueryDict(query_string), queryset=Initiative.objects.all())
    assert not filterset.is_valid()
    return filterset.errors


@pytest.mark.django_db
def test_a_single_valued_parameter_given_twice_is_an_error_not_its_last_value():
    assert errors_for("year_max=2020&year_max=1999") == {"year_max": ["Give this parameter once."]}
    assert errors_for("q=a&q=b") == {"q": ["Give this parameter once."]}


@pytest.mark.django_db
def test_a_year_must_be_a_whole_number():
    assert errors_for("year_min=2020.5") == {"year_min": ["Enter a whole number."]}


@pytest.mark.django_db
def test_a_slug_the_database_cannot_compare_is_an_invalid_choice_not_a_database_error():
    errors = errors_for("technology=a%00b")

    assert "technology" in errors


def test_different_parameters_must_all_match(make_initiative, make_sector, make_technology):
    education = make_sector(slug="education")
    vision = make_technology(slug="computer-vision")
    make_initiative(slug="a", sectors=[education], technologies=[vision])
    make_initiative(slug="b", sectors=[education])
    make_initiative(slug="c", technologies=[vision])

    assert filtered("sector=education&technology=computer-vision") == ["a"]


def test_technology_filter_excludes_other_technologies(make_initiative, make_technology):
    speech, vision = make_technology(slug="speech"), make_technology(slug="vision")
    make_initiative(slug="a", technologies=[speech])
    make_initiative(slug="b", technologies=[vision])
    make_initiative(slug="c", technologies=[speech, vision])

    assert filtered("technology=speech") == ["a", "c"]


def test_requirement_filter_selects_initiatives_addressing_it(make_initiative, make_requirement):
    safety, privacy = make_requirement(5, slug="safety"), make_requirement(4, slug="privacy")
    make_initiative(slug="a", requirements=[safety])
    make_initiative(slug="b", requirements=[privacy])
    make_initiative(slug="c", requirements=[safety, privacy])

    assert filtered("requirement=safety") == ["a", "c"]


def test_source_filter_selects_initiatives_the_document_cites(make_initiative, make_source):
    plan, report = make_source(slug="plan"), make_source(slug="report")
    make_initiative(slug="a", sources=[plan])
    make_initiative(slug="b", sources=[report])
    make_initiative(slug="c", sources=[plan, report])

    assert filtered("source=report") == ["b", "c"]


def test_beneficiary_filter_selects_initiatives_for_that_group(make_initiative):
    children = BeneficiaryGroup.objects.create(slug="children", name="Children")
    elderly = BeneficiaryGroup.objects.create(slug="older-people", name="Older people")
    make_initiative(slug="a").beneficiary_groups.set([children])
    make_initiative(slug="b").beneficiary_groups.set([elderly])
    make_initiative(slug="c")

    assert filtered("beneficiary=children") == ["a"]


def test_organisation_filter_matches_lead_or_partner(make_initiative, make_organisation):
    tencent = make_organisation(slug="tencent")
    make_initiative(slug="a", lead_organisation=tencent)
    make_initiative(slug="b").partners.set([tencent])
    make_initiative(slug="c")

    assert filtered("organisation=tencent") == ["a", "b"]


def test_organisation_kind_filter_looks_at_the_lead_organisation(make_initiative, make_organisation):
    make_initiative(slug="a", lead_organisation=make_organisation(kind=Organisation.Kind.UN_AGENCY))
    make_initiative(slug="b", lead_organisation=make_organisation(kind=Organisation.Kind.COMPANY))
    make_initiative(slug="c", lead_organisation=make_organisation(kind=Organisation.Kind.UN_AGENCY))

    assert filtered("organisation_kind=un_agency") == ["a", "c"]


def test_country_filter_matches_any_listed_country(make_initiative):
    make_initiative(slug="a", countries=["CN"])
    make_initiative(slug="b", countries=["US", "CN"])
    make_initiative(slug="c", countries=["IT"])

    assert filtered("country=CN") == ["a", "b"]


def test_year_min_keeps_initiatives_started_that_year_or_later(make_initiative):
    make_initiative(slug="a", start_year=2018)
    make_initiative(slug="b", start_year=2020)
    make_initiative(slug="c", start_year=2022)

    assert filtered("year_min=2020") == ["b", "c"]


def test_year_max_keeps_initiatives_started_that_year_or_earlier(make_initiative):
    make_initiative(slug="a", start_year=2018)
    make_initiative(slug="b", start_year=2020)
    make_initiative(slug="c", start_year=2022)

    assert filtered("year_max=2020") == ["a", "b"]


def test_children_focus_filter_keeps_child_focused_initiatives(make_initiative):
    make_initiative(slug="a", children_focus=True)
    make_initiative(slug="b", children_focus=False)
    make_initiative(slug="c", children_focus=True)

    assert filtered("children_focus=true") == ["a", "c"]


def test_q_filter_finds_text_in_titles_organisations_and_key_figures(make_initiative, make_organisation):
    make_initiative(slug="a", title="Snow leopard camera traps")
    make_initiative(slug="b", lead_organisation=make_organisation(name="Leopard Foundation"))
    figure_case = make_initiative(slug="c", title="Wildlife monitoring")
    KeyFigure.objects.create(initiative=figure_case, text="300 leopard sightings identified")
    make_initiative(slug="d", title="Hearing aids")

    assert filtered("q=leopard") == ["a", "b", "c"]


def test_filters_never_show_unpublished_initiatives(make_initiative, make_sector):
    education = make_sector(slug="education")
    make_initiative(slug="a", sectors=[education])
    make_initiative(slug="b", sectors=[education], status=Initiative.Status.DRAFT)
    make_initiative(slug="c", sectors=[education], status=Initiative.Status.SUBMITTED)

    assert filtered("sector=education") == ["a"]


def test_newest_ordering_puts_latest_published_first(make_initiative):
    for slug, day in [("a", 1), ("b", 3), ("c", 2)]:
        make_initiative(slug=slug, published_at=f"2024-01-0{day}T00:00Z")
    filterset = InitiativeFilterSet(QueryDict("ordering=newest"), queryset=Initiative.objects.for_listing())

    assert [initiative.slug for initiative in filterset.qs] == ["b", "c", "a"]


def test_start_year_ordering_puts_latest_start_year_first_and_undated_cases_last(make_initiative):
    # Most sources give no start year: those cases come last, the latest published first.
    for slug, year, day in [("a", 2019, 1), ("b", None, 3), ("c", 2021, 2), ("d", None, 4), ("e", 2020, 5)]:
        make_initiative(slug=slug, start_year=year, published_at=f"2024-01-0{day}T00:00Z")
    filterset = InitiativeFilterSet(
        QueryDict("ordering=start_year"), queryset=Initiative.objects.for_listing()
    )

    assert [initiative.slug for initiative in filterset.qs] == ["c", "e", "a", "d", "b"]


def test_facet_count_is_what_choosing_the_option_would_give(make_initiative, make_sector, make_technology):
    education, health = make_sector(slug="education"), make_sector(slug="health")
    speech = make_technology(slug="speech")
    make_initiative(slug="a", sectors=[education], technologies=[speech])
    make_initiative(slug="b", sectors=[health], technologies=[speech])
    make_initiative(slug="c", sectors=[education])
    filterset = InitiativeFilterSet(QueryDict("sector=education"), queryset=Initiative.objects.for_listing())
    assert filterset.is_valid()

    facets = facet_counts(filterset, ["sector", "technology"])

    assert {o.value: o.count for o in facets["sector"]} == {"education": 2, "health": 1}
    assert {o.value: o.count for o in facets["technology"]} == {
        "speech": len(filtered("sector=education&technology=speech"))
    }


def test_organisation_search_finds_english_and_chinese_names(make_organisation):
    make_organisation(slug="a", name="Tencent", name_zh="腾讯")
    make_organisation(slug="b", name="Alibaba", name_zh="阿里巴巴")
    make_organisation(slug="c", name="Tencent Charity Foundation")

    def organisations(query_string):
        filterset = OrganisationFilterSet(QueryDict(query_string), queryset=Organisation.objects.all())
        return sorted(organisation.slug for organisation in filterset.qs)

    assert organisations("q=tencent") == ["a", "c"]
    assert organisations("q=阿里") == ["b"]


def test_organisation_kind_and_country_filters(make_organisation):
    make_organisation(slug="a", kind=Organisation.Kind.COMPANY, country="CN")
    make_organisation(slug="b", kind=Organisation.Kind.UN_AGENCY, country="IT")
    make_organisation(slug="c", kind=Organisation.Kind.COMPANY, country="US")

    def organisations(query_string):
        filterset = OrganisationFilterSet(QueryDict(query_string), queryset=Organisation.objects.all())
        return sorted(organisation.slug for organisation in filterset.qs)

    assert organisations("kind=company") == ["a", "c"]
    assert organisations("country=IT&country=US") == ["b", "c"]


# --- The whole query string ------------------------------------------------------------------


def test_an_empty_value_means_not_given(three_sectors):
    assert filtered("sector=&q=&year_min=&children_focus=&updated_since=") == ["a", "b", "c"]
    assert filtered("sector=&sector=education") == ["a", "c"]


@pytest.mark.django_db
def test_an_unknown_parameter_is_an_error_naming_it():
    assert list(errors_for("sectors=education")) == ["sectors"]
    assert errors_for("sectors=education")["sectors"][0].startswith("Unknown parameter “sectors”")


@pytest.mark.django_db
def test_the_doors_own_parameters_are_known_and_checked_by_their_field():
    def filterset(query_string):
        return InitiativeFilterSet(
            QueryDict(query_string),
            queryset=Initiative.objects.all(),
            door_parameters={"page": PageNumberField(), "format": None},
        )

    assert filterset("page=2&format=csv").is_valid()
    assert filterset("page=abc").errors == {"page": ["Enter a whole number."]}
    assert filterset("page=1&page=2").errors == {"page": ["Give this parameter once."]}


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1", "0", "yes", "True", "maybe"])
def test_children_focus_takes_only_true_or_false(value):
    assert errors_for(f"children_focus={value}") == {"children_focus": ["Enter true or false."]}


def test_children_focus_false_keeps_the_others(make_initiative):
    make_initiative(slug="a", children_focus=True)
    make_initiative(slug="b", children_focus=False)
    make_initiative(slug="c", children_focus=False)

    assert filtered("children_focus=false") == ["b", "c"]


def test_requirement_filter_takes_the_number_the_lists_show(make_initiative, make_requirement):
    safety, privacy = make_requirement(5, slug="safety"), make_requirement(4, slug="privacy")
    make_initiative(slug="a", requirements=[safety])
    make_initiative(slug="b", requirements=[privacy])
    make_initiative(slug="c", requirements=[safety, privacy])

    assert filtered("requirement=5") == filtered("requirement=safety") == ["a", "c"]
    assert filtered("requirement=4&requirement=safety") == ["a", "b", "c"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9", "05", "5.0", "99999999999999999999", "a b"])
def test_a_requirement_that_is_neither_a_known_number_nor_a_known_slug_is_an_error(value, make_requirement):
    make_requirement(5, slug="safety")

    assert list(errors_for(f"requirement={value}")) == ["requirement"]


def test_updated_since_keeps_initiatives_changed_at_or_after(make_initiative):
    for slug, day in [("a", 1), ("b", 2), ("c", 3)]:
        initiative = make_initiative(slug=slug)
        stamp = datetime.datetime(2026, 1, day, tzinfo=datetime.UTC)
        Initiative.objects.filter(pk=initiative.pk).update(updated_at=stamp)

    assert filtered("updated_since=2026-01-02T00:00:00Z") == ["b", "c"]


def test_facets_mark_a_requirement_chosen_by_number_as_selected(make_initiative, make_requirement):
    safety, privacy = make_requirement(5, slug="safety"), make_requirement(4, slug="privacy")
    make_initiative(slug="a", requirements=[safety])
    make_initiative(slug="b", requirements=[privacy])
    filterset = InitiativeFilterSet(QueryDict("requirement=5"), queryset=Initiative.objects.for_listing())
    assert filterset.is_valid()

    options = facet_counts(filterset, ["requirement"])["requirement"]

    assert {option.value: option.selected for option in options} == {"privacy": False, "safety": True}
