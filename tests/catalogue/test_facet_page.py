"""The page listing every option of one facet (issue 16): `/initiatives/facets/<name>/`, with
the list's current filters kept, searched by name, a page at a time, in a fixed number of
queries whatever the number of organisations."""

import re

import pytest
from django.utils import timezone

from catalogue.facets import LONG_FACET_LIMIT
from catalogue.models import Initiative, Organisation, Sector
from catalogue.views import InitiativeFacetView

from .test_views import text_of

ORGANISATIONS = "/initiatives/facets/organisation/"


def add_led(organisations, *, sector=None, each=1, prefix="led"):
    """Organisations (names) each leading `each` published initiatives, in a few bulk INSERTs;
    the initiatives are in `sector` when given. Returns the organisations."""
    created = Organisation.objects.bulk_create(
        Organisation(slug=name.lower().replace(" ", "-"), name=name, kind=Organisation.Kind.COMPANY)
        for name in organisations
    )
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            slug=f"{prefix}-{organisation.slug}-{n}",
            title=f"{organisation.name} {n}",
            summary="An initiative.",
            status=Initiative.Status.PUBLISHED,
            published_at=timezone.now(),
            lead_organisation=organisation,
        )
        for organisation in created
        for n in range(each)
    )
    if sector is not None:
        Initiative.sectors.through.objects.bulk_create(
            Initiative.sectors.through(initiative_id=initiative.pk, sector_id=sector.pk)
            for initiative in initiatives
        )
    return created


def hidden_inputs(html, form_class):
    form = re.search(rf'<form class="{form_class}".*?</form>', html, flags=re.S).group(0)
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)


def option_labels(html):
    return re.findall(r'<label for="option-\d+">([^<]*?) <span class="count">(\d+)', html)


def test_the_sidebar_links_a_cut_facet_to_its_page_with_the_filters_kept(client, db):
    education = Sector.objects.create(slug="education", name="Education")
    add_led([f"Maker {n:02}" for n in range(LONG_FACET_LIMIT + 5)], sector=education)

    html = client.get("/initiatives/?sector=education&page=1").content.decode()

    assert f'href="{ORGANISATIONS}?sector=education"' in html
    assert f"Show all {LONG_FACET_LIMIT + 5}, with search : Organisation" in text_of(
        client.get("/initiatives/?sector=education")
    )


def test_the_page_counts_options_under_the_current_filters(client, db):
    education = Sector.objects.create(slug="education", name="Education")
    add_led(["Alpha School", "Beta School"], sector=education, each=2)
    add_led(["Gamma Health"], prefix="other")

    html = client.get(f"{ORGANISATIONS}?sector=education").content.decode()

    assert option_labels(html) == [("Alpha School", "2"), ("Beta School", "2")]
    assert hidden_inputs(html, "facet-page-form") == [("sector", "education")]
    assert hidden_inputs(html, "facet-search-form") == [("sector", "education")]
    assert 'action="/initiatives/#results-heading"' in html


def test_the_page_names_the_filters_it_keeps(client, db):
    education = Sector.objects.create(slug="education", name="Education")
    add_led(["Alpha School"], sector=education)

    text = text_of(client.get(f"{ORGANISATIONS}?sector=education&children_focus=false&country=KE"))

    assert "Filters kept Sector: Education Country: Kenya Focused on children: no" in text


def test_the_page_searches_options_by_name_in_any_case(client, db):
    add_led([f"Maker {n:02}" for n in range(30)] + ["Snow Leopard Trust"])

    html = client.get(f"{ORGANISATIONS}?facet_q=leopard").content.decode()

    assert option_labels(html) == [("Snow Leopard Trust", "1")]
    assert "1 option containing “LEOPARD”" in text_of(client.get(f"{ORGANISATIONS}?facet_q=LEOPARD"))


def test_a_search_with_like_wildcards_matches_them_literally(client, db):
    add_led(["Fifty% Fund", "Fiftyfive Fund"])

    html = client.get(f"{ORGANISATIONS}?facet_q=y%25").content.decode()

    assert option_labels(html) == [("Fifty% Fund", "1")]


def test_the_page_lists_a_selected_option_ticked_and_keeps_those_on_other_pages(client, db):
    add_led(["Alpha", "Beta", "Gamma"])

    html = client.get(f"{ORGANISATIONS}?organisation=alpha&organisation=gamma&facet_q=alp").content.decode()

    assert re.search(r'value="alpha" id="option-0" checked', html)
    # gamma is not on this page; it stays selected when the form is sent
    assert ("organisation", "gamma") in hidden_inputs(html, "facet-page-form")
    assert ("organisation", "alpha") not in hidden_inputs(html, "facet-page-form")


def test_the_page_is_paginated(client, db, monkeypatch):
    monkeypatch.setattr(InitiativeFacetView, "paginate_by", 10)
    add_led([f"Maker {n:02}" for n in range(25)])

    first = client.get(ORGANISATIONS).content.decode()
    last = client.get(f"{ORGANISATIONS}?page=3").content.decode()

    assert [label for label, _ in option_labels(first)] == [f"Maker {n:02}" for n in range(10)]
    assert [label for label, _ in option_labels(last)] == [f"Maker {n:02}" for n in range(20, 25)]
    assert "Page 3 of 3" in last
    assert "25 options" in text_of(client.get(f"{ORGANISATIONS}?page=2"))


@pytest.mark.parametrize("page", ["9", "9" * 30])
def test_a_page_past_the_end_shows_the_first_and_says_so(client, db, page):
    add_led(["Alpha", "Beta"])

    response = client.get(f"{ORGANISATIONS}?page={page}")

    assert response.status_code == 200
    assert f"There is no page “{page}”" in text_of(response)
    assert [label for label, _ in option_labels(response.content.decode())] == ["Alpha", "Beta"]


def test_countries_are_listed_and_searched_by_their_names(client, db):
    for code in ["CN", "FR", "KE"]:
        Initiative.objects.create(
            slug=f"in-{code}",
            title=code,
            summary=".",
            status=Initiative.Status.PUBLISHED,
            published_at=timezone.now(),
            countries=[code],
        )

    html = client.get("/initiatives/facets/country/?facet_q=ken").content.decode()

    assert option_labels(html) == [("Kenya", "1")]


@pytest.mark.parametrize(
    "query",
    ["sector=no-such-sector", "page=two", "facet_q=" + "x" * 101, "facet_q=a&facet_q=b", "colour=red"],
)
def test_bad_input_is_a_400_naming_it(client, db, query):
    response = client.get(f"{ORGANISATIONS}?{query}")

    assert response.status_code == 400
    assert "Some filters could not be applied" in text_of(response)


@pytest.mark.parametrize("name", ["children_focus", "nonsense", "year_min"])
def test_a_facet_without_a_page_is_a_404(client, db, name):
    assert client.get(f"/initiatives/facets/{name}/").status_code == 404


@pytest.mark.parametrize("organisations", [3, 120])
def test_the_page_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, organisations):
    education = Sector.objects.create(slug="education", name="Education")
    add_led([f"Maker {n:03}" for n in range(organisations)], sector=education)

    # the data version (the page cache's key); the sector's slug checked; the organisations
    # counted, searched and cut to a page in one query; the page's names
    with django_assert_num_queries(4):
        response = client.get(f"{ORGANISATIONS}?sector=education&facet_q=maker")
    assert response.status_code == 200
