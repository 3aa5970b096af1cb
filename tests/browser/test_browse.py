"""A researcher browsing in a real browser: filter, search, open a case, switch language.

Screenshots of the list and a case, on a desktop and a 360 px phone, are saved for CI's
artefacts (see conftest.SCREENSHOT_DIR).
"""

import re

import pytest
from playwright.sync_api import expect

HEARING_AIDS = "/initiatives/tencent-hearing-aid-audio-algorithms/"


def results_count(page):
    return int(re.match(r"\d+", page.locator("#results-heading").inner_text()).group())


def test_researcher_filters_searches_opens_a_case_and_switches_language(
    browser_page, shipped_catalogue, screenshot
):
    page = browser_page
    page.goto("/initiatives/")
    everything = results_count(page)
    assert everything == 42

    page.get_by_label("Accessibility").check()
    page.locator("summary", has_text="AI technology").click()
    page.get_by_label("Speech recognition").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.locator(".chip")).to_have_count(2)
    two_facets = results_count(page)
    assert 0 < two_facets < everything
    assert page.get_by_label("Speech recognition").is_checked()

    page.get_by_label("Search initiatives").fill("hearing")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page.locator(".chip")).to_have_count(3)
    searched = results_count(page)
    assert 0 < searched < two_facets
    assert page.locator("mark").count() > 0
    screenshot(page, "list-desktop")

    page.get_by_role("link", name=re.compile("Tencent audio algorithms")).click()
    expect(page.locator("h1")).to_have_text(re.compile("Tencent audio algorithms"))
    # Hearing aids have no child-specific element: the case says so rather than claim a link.
    expect(
        page.get_by_text("No child-specific element: not assessed against the requirements.")
    ).to_be_visible()
    screenshot(page, "detail-desktop")

    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Change").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("link", name="项目", exact=True)).to_be_visible()
    screenshot(page, "detail-desktop-zh")

    page.get_by_role("link", name="项目", exact=True).click()
    expect(page.locator("#results-heading")).to_contain_text("个项目")  # the choice is remembered


def test_matrix_cell_leads_to_the_same_count(browser_page, shipped_catalogue, screenshot):
    page = browser_page
    page.goto("/")
    cell = page.locator("table.matrix td a").first
    count = sum(int(n) for n in re.findall(r"\d+", cell.inner_text()))  # "3S + 1I": stated + inferred

    cell.click()

    assert results_count(page) == count
    page.goto("/")
    screenshot(page, "overview-desktop")


def test_keyboard_users_reach_the_skip_link_first(browser_page, shipped_catalogue):
    page = browser_page
    page.goto("/initiatives/")

    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to content")
    assert focused.evaluate("el => getComputedStyle(el).outlineStyle") != "none"


@pytest.fixture
def phone_page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("list-phone", "/initiatives/?sector=accessibility&q=hearing"),
        ("detail-phone", HEARING_AIDS),
        ("overview-phone", "/"),
    ],
)
def test_pages_fit_a_360px_phone(phone_page, shipped_catalogue, screenshot, name, url):
    phone_page.goto(url)

    # Nothing wider than the screen, apart from the matrix, which scrolls in its own box.
    overflow = phone_page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 360
    screenshot(phone_page, name)
