"""The browse pages, asserted on their HTML: overview, list, case, vocabulary and
organisation pages, errors, language, and a constant number of queries per page."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from catalogue.models import Citation, Initiative, KeyFigure, RequirementAlignment
from catalogue.views import InitiativeListView

LIST = "/initiatives/"
SNOW_LEOPARD = "/initiatives/tencent-charity-foundation-snow-leopard-monitoring/"
EVERY_FILTER = (
    "q=children&sector=education&organisation=tencent&organisation_kind=company"
    "&source=wic-ai-for-social-good-action-plan-2023-2025&requirement=safety"
    "&technology=computer-vision&beneficiary=children&country=CN&year_min=2000&year_max=2030"
    "&children_focus=true&ordering=newest"
)


def text_of(response):
    """The page's visible text, tags removed and spaces collapsed, for content assertions."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- Overview --------------------------------------------------------------------------------


def test_overview_shows_the_catalogue_counts(client, shipped_catalogue):
    response = client.get("/")

    assert response.context["initiative_count"] == 42
    assert "42" in text_of(response)


def test_every_matrix_cell_agrees_with_the_list_it_links_to(client, shipped_catalogue):
    matrix = client.get("/").context["matrix"]
    cells = [(sector, cell) for sector, row in matrix for cell in row]

    assert any(cell.count for _, cell in cells)
    for sector, cell in cells:
        listed = client.get(LIST, {"sector": sector.slug, "requirement": cell.requirement.slug})
        assert listed.context["paginator"].count == cell.count, (sector.slug, cell.requirement.slug)
        stated = RequirementAlignment.objects.of_published().filter(
            initiative__sectors=sector, requirement=cell.requirement, basis="stated"
        )
        assert (cell.stated, cell.inferred) == (stated.count(), cell.count - stated.count())


def test_every_overview_figure_links_to_what_it_counts(client, shipped_catalogue):
    counts = re.search(r'<dl class="counts">.*?</dl>', client.get("/").content.decode(), re.S)[0]

    for target in ["/initiatives/", "/organisations/", "/initiatives/facets/country/", "/sources/"]:
        assert f'href="{target}"' in counts


def test_the_overview_matrix_counts_stated_and_inferred_apart(client, shipped_catalogue):
    # Child online safety and R5: five cases whose quotes speak of children's safety, and the
    # End Violence Fund's "online CSEA", which its source does not spell out (inferred).
    alignments = RequirementAlignment.objects.of_published().filter(
        initiative__sectors__slug="child-online-safety", requirement__number=5
    )
    stated, inferred = alignments.filter(basis="stated").count(), alignments.filter(basis="inferred").count()
    assert stated and inferred

    html = client.get("/").content.decode()

    assert f'<span class="n-stated">{stated}S</span> + <span class="n-inferred">{inferred}I</span>' in html
    assert f"addressing requirement 5: {stated} stated in the source, {inferred} inferred" in html
    r5 = RequirementAlignment.objects.of_published().filter(requirement__number=5)
    assert (
        f"({r5.count()}: {r5.filter(basis='stated').count()} stated + "
        f"{r5.filter(basis='inferred').count()} inferred)" in text_of(client.get("/"))
    )


def test_matrix_cells_link_to_the_filtered_list(client, shipped_catalogue):
    html = client.get("/").content.decode()

    assert 'href="/initiatives/?sector=child-online-safety&amp;requirement=safety"' in html


def test_overview_draws_charts_per_sector_technology_and_source(client, shipped_catalogue):
    page = text_of(client.get("/"))

    for heading in ["Initiatives per sector", "Initiatives per AI technology", "Initiatives per source"]:
        assert heading in page
    assert "World Internet Conference AI For Social Good Action Plan 2023–2025 33" in page


def test_overview_runs_a_fixed_number_of_queries(client, shipped_catalogue, django_assert_num_queries):
    # the data version (the page cache's key); sectors, requirements (with counts), initiatives,
    # organisations, countries, sources, technologies, the coverage matrix
    with django_assert_num_queries(9):
        client.get("/")


# --- Initiative list -------------------------------------------------------------------------


def test_list_shows_every_published_initiative_with_a_total(client, shipped_catalogue, make_initiative):
    make_initiative(title="A draft nobody may see", status=Initiative.Status.DRAFT)

    response = client.get(LIST)

    assert "42 initiatives" in text_of(response)
    assert "A draft nobody may see" not in text_of(response)


def test_list_shows_facet_counts_beside_options(client, shipped_catalogue):
    html = client.get(LIST, {"sector": "accessibility"}).content.decode()

    speech = re.search(r'value="speech-recognition".*?<span class="count">(\d+)', html, re.S)
    assert speech.group(1) == "5"


def test_list_hides_facet_options_that_would_give_nothing(client, shipped_catalogue):
    html = client.get(LIST, {"sector": "biodiversity"}).content.decode()

    assert 'name="technology" value="speech-synthesis"' not in html
    assert 'name="technology" value="image-recognition"' in html


def test_facet_options_and_card_tags_escape_what_they_show(client, db):
    """Drawn in Python (catalogue/templatetags/browse.py), not through the template engine's
    autoescaping: a name with markup in it is shown as text in the filter and on the card."""
    from tests import factories

    sector = factories.make_sector(name='Health <b>& "care"</b>', slug="health-care")
    factories.make_initiative(sectors=[sector])

    html = client.get(LIST).content.decode()

    escaped = "Health &lt;b&gt;&amp; &quot;care&quot;&lt;/b&gt;"
    assert 'name="sector" value="health-care"' in html
    assert f"<bdi>{escaped}</bdi>" in html  # the facet option's label
    assert f'href="/initiatives/?sector=health-care">{escaped}</a>' in html  # the card's tag
    assert "<b>&" not in html


def test_active_filters_show_as_chips_that_remove_one_value(client, shipped_catalogue):
    html = client.get(LIST + "?sector=accessibility&technology=speech-recognition").content.decode()

    assert 'href="/initiatives/?technology=speech-recognition"' in html  # removes the sector
    assert 'href="/initiatives/?sector=accessibility"' in html  # removes the technology
    assert "Clear all filters" in html


def test_search_results_highlight_the_query(client, shipped_catalogue):
    html = client.get(LIST, {"q": "snow leopard"}).content.decode()

    assert "<mark>" in html
    assert "Tencent Charity Foundation: AI camera-trap platform" in html


def test_search_offers_relevance_sort(client, shipped_catalogue):
    assert "Relevance" in text_of(client.get(LIST, {"q": "children"}))


def test_empty_result_explains_itself(client, shipped_catalogue):
    response = client.get(LIST, {"q": "zzzz-no-such-thing"})

    assert response.status_code == 200
    assert "No initiative matches all of these filters." in text_of(response)


def test_non_numeric_year_shows_the_form_error(client, shipped_catalogue):
    response = client.get(LIST, {"year_min": "abc"})

    assert response.status_code == 400
    assert "Some filters could not be applied" in text_of(response)
    assert "Enter a whole number." in text_of(response)


def test_unknown_filter_slug_shows_the_form_error(client, shipped_catalogue):
    response = client.get(LIST, {"sector": "atlantis"})

    assert response.status_code == 400
    assert "Select a valid choice" in text_of(response)


def test_invalid_filters_keep_the_valid_ones_and_offer_to_remove_the_bad(client, shipped_catalogue):
    html = client.get(LIST + "?sector=atlantis&technology=speech-recognition&year_min=abc").content.decode()

    assert 'name="technology" value="speech-recognition" id="id_technology_0" checked' in html
    assert 'href="/initiatives/?technology=speech-recognition&amp;year_min=abc"' in html  # drops atlantis
    assert 'href="/initiatives/?sector=atlantis&amp;technology=speech-recognition"' in html  # drops the year


@pytest.mark.parametrize("page", ["99999", "0", "-1"])
def test_page_out_of_range_shows_the_nearest_page_with_a_note(client, shipped_catalogue, page):
    response = client.get(LIST, {"page": page})

    assert response.status_code == 200
    assert f"There is no page “{page}”" in text_of(response)


@pytest.mark.parametrize("page", ["abc", "2.0"])
def test_a_page_that_is_not_a_whole_number_is_a_400_saying_so(client, shipped_catalogue, page):
    response = client.get(LIST, {"page": page})

    assert response.status_code == 400
    assert re.search(r"page ?: Enter a whole number\.", text_of(response))


def test_an_unknown_parameter_is_a_400_naming_it(client, shipped_catalogue):
    response = client.get(LIST, {"sectors": "education"})

    assert response.status_code == 400
    assert re.search(r"sectors ?: Unknown parameter “sectors”", text_of(response))


def test_empty_parameters_are_redirected_away(client, shipped_catalogue):
    response = client.get(LIST + "?q=&sector=education&year_min=&year_max=&sector=&ordering=newest")

    assert response.status_code == 302
    assert response["Location"] == "/initiatives/?sector=education&ordering=newest"


def test_only_empty_parameters_redirect_to_the_bare_list(client, shipped_catalogue):
    response = client.get(LIST + "?q=&year_min=&year_max=")

    assert response.status_code == 302
    assert response["Location"] == "/initiatives/"


def test_the_sidebar_offers_any_yes_and_no_for_children_focus(client, shipped_catalogue):
    html = client.get(LIST, {"children_focus": "false"}).content.decode()

    assert re.search(r'name="children_focus" value="" id="id_children_focus_any">', html)
    assert re.search(r'name="children_focus" value="true" id="id_children_focus_\d+">', html)
    assert re.search(r'name="children_focus" value="false" id="id_children_focus_\d+" checked>', html)
    assert "Any" in text_of(client.get(LIST))


@pytest.mark.parametrize("value", ["1", "0", "yes"])
def test_children_focus_takes_only_true_or_false(client, shipped_catalogue, value):
    response = client.get(LIST, {"children_focus": value})

    assert response.status_code == 400
    assert "Enter true or false." in text_of(response)


def test_updated_since_filters_the_page_too(client, shipped_catalogue):
    response = client.get(LIST, {"updated_since": "2099-01-01T00:00:00Z"})

    assert response.status_code == 200
    assert response.context["paginator"].count == 0


def test_a_requirement_chosen_by_number_shows_as_a_chip_that_removes_it(client, shipped_catalogue):
    response = client.get(LIST, {"requirement": "5", "sector": "education"})
    html = response.content.decode()

    assert (
        response.context["paginator"].count
        == client.get(LIST, {"requirement": "safety", "sector": "education"}).context["paginator"].count
    )
    assert re.search(r'name="requirement" value="safety" id="id_requirement_\d+" checked', html)
    assert 'href="/initiatives/?sector=education"' in html  # the requirement chip


def test_sort_and_pagination_links_carry_no_empty_parameters(client, shipped_catalogue):
    html = client.get(LIST, {"source": "wic-ai-for-social-good-action-plan-2023-2025"}).content.decode()
    links = re.findall(r'href="(\?[^"]*)"', html) + re.findall(r'href="/initiatives/(\?[^"]*)"', html)

    assert links
    for link in links:
        assert not re.search(r"=(&|$)", link.replace("&amp;", "&")), link


def test_pagination_keeps_the_filters(client, shipped_catalogue):
    html = client.get(LIST, {"source": "wic-ai-for-social-good-action-plan-2023-2025"}).content.decode()

    assert "Page 1 of 2" in html
    assert 'href="?source=wic-ai-for-social-good-action-plan-2023-2025&amp;page=2"' in html


def list_queries(client, django_assert_max_num_queries, query_string, most):
    with django_assert_max_num_queries(most) as captured:
        response = client.get(f"{LIST}?{query_string}")
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page_size", [1, 20, 100])
def test_list_queries_do_not_grow_with_page_size(
    client, shipped_catalogue, monkeypatch, django_assert_max_num_queries, page_size
):
    monkeypatch.setattr(InitiativeListView, "paginate_by", page_size)
    # the data version (the cache keys); every facet's counts in one query, the labels of the
    # 6 vocabulary facets; then the total, the page, and the page's prefetches (sectors,
    # technologies, citations and sources, alignments and requirements); the number of cases
    # without a start year. Exact counts: tests/catalogue/test_scale.py.
    list_queries(client, django_assert_max_num_queries, "", 17)


def test_list_queries_are_bounded_whatever_the_filters(
    client, shipped_catalogue, django_assert_max_num_queries
):
    # As above, plus one lookup per slug-valued filter in use to validate the slugs
    # (7 of them at most: sector, organisation, source, requirement, technology, beneficiary).
    none = list_queries(client, django_assert_max_num_queries, "", 17)
    every = list_queries(client, django_assert_max_num_queries, EVERY_FILTER, 17 + 6)

    assert every - none <= 6


# --- Initiative detail -----------------------------------------------------------------------


def test_case_page_shows_the_chinese_title_marked_as_chinese(client, shipped_catalogue):
    html = client.get(SNOW_LEOPARD).content.decode()
    initiative = Initiative.objects.get(slug="tencent-charity-foundation-snow-leopard-monitoring")

    assert f'<p class="other-title" lang="zh-Hans">{initiative.title_zh}</p>' in html
    assert f'<p class="other-summary" lang="zh-Hans">{initiative.summary_zh}</p>' in html


def test_case_page_shows_alignments_as_editorial_assessment_with_rationale(client, shipped_catalogue):
    page = text_of(client.get("/initiatives/iflytek-tech-caravan/"))
    alignments = RequirementAlignment.objects.filter(initiative__slug="iflytek-tech-caravan")

    assert {a.basis for a in alignments} == {"stated", "inferred"}
    for alignment in alignments:
        assert f"Editorial assessment · {alignment.get_basis_display()}" in page
        assert alignment.rationale in page


def test_a_case_without_a_child_specific_element_says_it_is_not_assessed(client, shipped_catalogue):
    page = text_of(client.get(SNOW_LEOPARD))

    assert "No child-specific element: not assessed against the requirements." in page
    assert "Editorial assessment ·" not in page


def test_a_child_case_not_yet_assessed_says_so(client, make_initiative):
    case = make_initiative(children_focus=True)

    page = text_of(client.get(case.get_absolute_url()))

    assert "Not assessed against the requirements." in page


def test_a_partners_alignment_is_shown_as_the_partners_not_the_editors(
    client, make_initiative, make_requirement
):
    case = make_initiative(children_focus=True, requirements=[make_requirement(5)])
    case.alignments.update(made_by=RequirementAlignment.MadeBy.PARTNER, rationale="Our app keeps kids safe.")

    page = text_of(client.get(case.get_absolute_url()))

    assert "Submitted by the partner Our app keeps kids safe." in page
    assert "Editorial assessment" not in page
    assert "Editorial inference" not in page


def test_editors_working_notes_are_kept_out_of_the_description_and_labelled(client, shipped_catalogue):
    case = Initiative.objects.get(slug="tencent-content-safety-for-children")
    html = client.get(case.get_absolute_url()).content.decode()

    assert "probably garbled" not in case.description and "Recorded as one" not in case.description
    note = re.search(r'<aside class="editorial-note".*?</aside>', html, re.S).group(0)
    assert "Editorial note" in note and "probably garbled" in note and "Recorded as one initiative" in note


def test_case_page_cites_document_location_and_quote(client, shipped_catalogue):
    page = client.get(SNOW_LEOPARD).content.decode()
    citation = Citation.objects.filter(
        initiative__slug="tencent-charity-foundation-snow-leopard-monitoring"
    ).first()

    assert citation.source.title in page
    assert citation.location in page
    assert citation.quote.replace('"', "&quot;") in page


def test_case_page_shows_key_figures_and_organisations(client, shipped_catalogue):
    initiative = Initiative.objects.get(slug="tencent-charity-foundation-snow-leopard-monitoring")
    page = text_of(client.get(SNOW_LEOPARD))

    assert initiative.lead_organisation.name in page
    for figure in KeyFigure.objects.filter(initiative=initiative):
        assert figure.text in page


def test_related_page_lists_three_to_six_related_initiatives_best_first(client, shipped_catalogue):
    related = list(client.get(SNOW_LEOPARD + "related/").context["related"])

    assert 3 <= len(related) <= 6
    assert [r.overlap for r in related] == sorted((r.overlap for r in related), reverse=True)


def test_case_page_links_to_its_related_initiatives_without_ranking_them(client, shipped_catalogue):
    response = client.get(SNOW_LEOPARD)

    assert "related" not in response.context
    section = re.search(r'<section class="related".*?</section>', response.content.decode(), re.S)[0]
    assert f'href="{SNOW_LEOPARD}related/"' in section
    assert f'data-related-list="{SNOW_LEOPARD}related/?partial=1"' in section


def test_related_list_alone_is_the_part_the_case_page_puts_in_place(client, shipped_catalogue):
    whole = client.get(SNOW_LEOPARD + "related/")
    partial = client.get(SNOW_LEOPARD + "related/", {"partial": "1"})

    assert partial.status_code == 200
    assert b"<html" not in partial.content and b"<html" in whole.content
    titles = [escape(other.display_title) for other in whole.context["related"]]
    assert titles and all(title in partial.content.decode() for title in titles)


def test_related_page_of_an_unpublished_case_is_not_found(client, make_initiative):
    draft = make_initiative(status=Initiative.Status.SUBMITTED)

    assert client.get(draft.get_absolute_url() + "related/").status_code == 404


def test_related_puts_the_most_shared_first(make_initiative, make_sector, make_technology):
    education, vision = make_sector(), make_technology()
    case = make_initiative(sectors=[education], technologies=[vision])
    make_initiative(slug="shares-one", sectors=[education])
    make_initiative(slug="shares-two", sectors=[education], technologies=[vision])
    make_initiative(slug="shares-none")

    assert [r.slug for r in Initiative.objects.related(case)] == ["shares-two", "shares-one"]


def test_unpublished_case_is_not_found(client, make_initiative):
    draft = make_initiative(status=Initiative.Status.SUBMITTED)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_case_page_runs_a_fixed_number_of_queries(client, shipped_catalogue, django_assert_num_queries):
    # the data version (the page cache's key); the initiative with its lead organisation; in
    # one query its sectors, technologies, citations with their sources, alignments with their
    # requirements, partners, beneficiary groups, key figures and the reports and events
    # featuring it; the communities holding members-only content on it (the hub's part of the
    # page; related initiatives are a request of their own)
    with django_assert_num_queries(4):
        client.get(SNOW_LEOPARD)


def test_related_page_runs_a_fixed_number_of_queries(client, shipped_catalogue, django_assert_num_queries):
    # the data version; the initiative; its sectors, technologies and alignments (its tags);
    # related initiatives ranked (from the tag index on PostgreSQL, the through tables
    # elsewhere); those with their lead organisations
    with django_assert_num_queries(7):
        client.get(SNOW_LEOPARD + "related/", {"partial": "1"})


# --- Vocabulary and organisation pages -------------------------------------------------------


def test_requirement_page_lists_every_initiative_addressing_it(client, shipped_catalogue):
    response = client.get("/requirements/5/")
    expected = Initiative.objects.published().filter(requirements__number=5).count()

    assert "Ensure safety for children" in text_of(response)
    assert len(response.context["initiatives"]) == expected > 0


def test_source_page_lists_initiatives_in_document_order(client, shipped_catalogue):
    source = "wic-ai-for-social-good-action-plan-2023-2025"
    pages = [client.get(f"/sources/{source}/", {"page": page}).context["initiatives"] for page in (1, 2)]
    initiatives = [*pages[0], *pages[1]]
    positions = [
        Citation.objects.filter(initiative=initiative, source__slug=source)
        .order_by("position")
        .first()
        .position
        for initiative in initiatives
    ]

    assert [len(page) for page in pages] == [20, 13]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "url",
    [
        "/sectors/education/",
        "/technologies/speech-recognition/",
        "/organisations/tencent/",
        "/beneficiaries/children/",
    ],
)
def test_vocabulary_pages_list_their_published_initiatives(
    client, shipped_catalogue, url, django_assert_num_queries
):
    # the data version (the page cache's key); the record; the total; a page of initiatives; their
    # cards' sectors and technologies (one query); on an organisation's page, the reports and
    # events it has a role in
    publications = 1 if url.startswith("/organisations/") else 0
    with django_assert_num_queries(1 + 1 + 1 + 1 + 1 + publications):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["initiatives"]) > 0


def test_organisation_page_includes_initiatives_it_partners_in(client, make_initiative, make_organisation):
    partner = make_organisation(slug="partner")
    make_initiative(title="Led elsewhere").partners.set([partner])

    assert "Led elsewhere" in text_of(client.get("/organisations/partner/"))


def test_organisation_list_filters_by_kind(client, shipped_catalogue):
    response = client.get("/organisations/", {"kind": "un_agency"})
    names = [organisation.name for organisation in response.context["object_list"]]

    assert names and "Tencent" not in names
    assert all(organisation.kind == "un_agency" for organisation in response.context["object_list"])


@pytest.mark.parametrize(
    "url", ["/initiatives/no-such-case/", "/sectors/atlantis/", "/requirements/10/", "/sources/nothing/"]
)
def test_unknown_records_get_the_helpful_404_page(client, db, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "We could not find that page" in text_of(response)


# --- Language and layout ---------------------------------------------------------------------


def test_accept_language_chooses_chinese_on_a_first_visit(client, shipped_catalogue):
    response = client.get(SNOW_LEOPARD, headers={"accept-language": "zh-CN,zh;q=0.9"})
    initiative = response.context["initiative"]

    assert '<html lang="zh-Hans" dir="ltr">' in response.content.decode()
    assert f'<h1 lang="zh-Hans">{initiative.title_zh}</h1>' in response.content.decode()


def test_language_switcher_remembers_the_choice_in_a_cookie(client, shipped_catalogue, settings):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": LIST})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert "个项目" in text_of(client.get(LIST))


def test_chinese_interface_falls_back_to_english_content_without_chinese(client, make_initiative):
    initiative = make_initiative(title="Only in English")
    client.cookies["django_language"] = "zh-hans"

    assert '<h1 lang="en">Only in English</h1>' in client.get(initiative.get_absolute_url()).content.decode()


def test_pages_have_landmarks_navigation_and_the_language_switcher(client, shipped_catalogue):
    html = client.get(LIST).content.decode()

    for landmark in ["<header", "<nav", "<main", "<footer", "<aside"]:
        assert landmark in html
    assert 'href="/api/v1/docs/"' in html
    assert 'action="/i18n/setlang/"' in html
    assert 'href="/accounts/login/' in html


def test_every_form_control_has_a_label(client, shipped_catalogue):
    html = client.get(LIST + "?sector=accessibility").content.decode()
    ids = re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', html)
    labelled = set(re.findall(r'<label for="([^"]+)"', html))

    assert ids and set(ids) <= labelled
