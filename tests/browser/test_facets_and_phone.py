"""Issue 16 in Chromium at 375 and 1280 px: facets list their options without a box of their
own that cuts them, a long facet's "Show all" page reaches the options the sidebar leaves out
(filters kept), results come first on a phone with the filters one tap away, the header fits
in two lines, and the home page's sector × requirement grid shows its last column."""

import re

import pytest
from playwright.sync_api import expect

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])


@WIDTHS
def test_every_option_of_an_open_facet_is_in_view_without_scrolling_its_box(
    browser_page, shipped_catalogue, viewport
):
    page = browser_page
    page.set_viewport_size(viewport)
    page.goto("/initiatives/?requirement=enabling-environment")

    cut = page.evaluate(
        """() => Array.from(document.querySelectorAll("details[open] .facet-options")).flatMap(list => {
            const box = list.getBoundingClientRect();
            return Array.from(list.querySelectorAll("li")).filter(item => {
                const own = item.getBoundingClientRect();
                return own.top < box.top - 1 || own.bottom > box.bottom + 1;
            }).map(item => item.textContent.trim().replace(/\\s+/g, " "));
        })"""
    )
    assert cut == [], f"options cut off inside their facet: {cut}"
    expect(page.get_by_label(re.compile("Create an enabling environment"))).to_be_checked()


def test_show_all_reaches_an_organisation_left_out_of_the_sidebar_and_ticks_it(
    browser_page, shipped_catalogue, screenshot
):
    page = browser_page
    page.goto("/initiatives/?organisation_kind=company")
    facet = page.locator("details#id_organisation")
    facet.locator("summary").click()
    in_sidebar = {text.strip() for text in facet.locator("li label").all_inner_texts()}

    facet.get_by_role("link", name=re.compile("Show all")).click()
    expect(page.locator("h1")).to_have_text("All organisations")
    assert "organisation_kind=company" in page.url
    labels = page.locator(".facet-page-options label").all_inner_texts()
    listed = [label.split("\n")[0].strip() for label in labels]
    left_out = next(name for name in listed if not any(shown.startswith(name) for shown in in_sidebar))

    page.get_by_label("Search organisations by name").fill(left_out[:6].lower())
    page.get_by_role("button", name="Search").click()
    page.get_by_label(re.compile(re.escape(left_out))).check()
    screenshot(page, "facet-page-organisations")
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"/initiatives/\?.*organisation="))
    assert "organisation_kind=company" in page.url
    expect(page.locator(".chip", has_text=left_out)).to_be_visible()
    expect(
        page.locator("details#id_organisation").get_by_label(re.compile(re.escape(left_out)))
    ).to_be_checked()


def test_on_a_phone_the_results_come_before_the_filters_one_tap_away(
    browser_page, shipped_catalogue, screenshot
):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto("/initiatives/?sector=education&technology=speech-recognition")

    results = page.locator("#results-heading").bounding_box()
    filters = page.locator("#filters").bounding_box()
    assert results["y"] + results["height"] <= filters["y"]
    expect(page.locator("#results-heading")).to_be_in_viewport()
    screenshot(page, "list-phone")

    page.get_by_role("link", name="Filters (2)").click()
    expect(page.get_by_label("Education and training")).to_be_in_viewport()


def test_on_a_desktop_the_filters_stay_beside_the_results(browser_page, shipped_catalogue):
    page = browser_page
    page.goto("/initiatives/")

    results = page.locator("#results-heading").bounding_box()
    filters = page.locator("#filters").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"]
    assert abs(filters["y"] - results["y"]) < 5
    expect(page.locator(".to-filters")).to_be_hidden()


@pytest.mark.parametrize(("viewport", "most"), [(PHONE, 90), (DESKTOP, 60)], ids=["375", "1280"])
def test_the_site_header_fits_in_two_lines(browser_page, shipped_catalogue, viewport, most):
    page = browser_page
    page.set_viewport_size(viewport)
    page.goto("/initiatives/")

    assert page.locator(".site-header").bounding_box()["height"] <= most
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    for name in ["Sign in", "Change"]:
        expect(page.locator(".site-header a, .site-header button").filter(has_text=name)).to_be_in_viewport()


def test_on_a_phone_the_home_grid_shows_its_last_requirement(browser_page, shipped_catalogue, screenshot):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto("/")

    region = page.locator(".table-scroll")
    # a labelled region a keyboard can scroll, should it ever need to
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("tabindex", "0")
    region.scroll_into_view_if_needed()
    last = page.locator(".matrix thead th").last
    expect(last).to_have_text("R9")
    box, visible = last.bounding_box(), region.bounding_box()
    assert box["x"] + box["width"] <= visible["x"] + visible["width"] + 1, "R9 is scrolled out of sight"
    screenshot(page, "home-grid-phone")


def test_a_long_facet_narrows_to_what_is_typed_in_its_find_box(browser_page, shipped_catalogue):
    page = browser_page
    page.goto("/initiatives/")
    facet = page.locator("details#id_organisation")

    facet.locator("summary").click()
    facet.get_by_placeholder("Find in this list").fill("tenc")

    shown = [text.split("\n")[0].strip() for text in facet.locator("li:visible label").all_inner_texts()]
    assert shown and all("tenc" in name.lower() for name in shown), shown
