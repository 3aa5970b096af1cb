"""Honest alignments in a real browser (issue 12): the overview's coverage matrix tells stated
from inferred at a glance (solid and hatched, with S and I in text), and a case page says who
made each alignment, why a case is not assessed, and shows the editors' working notes as an
editorial note. Screenshots are saved for CI's artefacts."""

from playwright.sync_api import expect


def test_the_coverage_matrix_shows_stated_and_inferred_apart(browser_page, shipped_catalogue, screenshot):
    page = browser_page
    page.goto("/")

    cell = page.locator('a[href="/initiatives/?sector=child-online-safety&requirement=safety"]')
    expect(cell).to_have_text("5S + 1I")
    expect(cell).to_have_attribute(
        "aria-label", "6 in Child online safety addressing requirement 5: 5 stated in the source, 1 inferred"
    )
    hatched = cell.locator(".n-inferred").evaluate("node => getComputedStyle(node).backgroundImage")
    assert "repeating-linear-gradient" in hatched
    screenshot(page, "overview-coverage-by-basis")


def test_a_case_page_says_who_made_its_alignments_and_shows_the_editorial_note(
    browser_page, shipped_catalogue, screenshot
):
    page = browser_page
    page.goto("/initiatives/tencent-content-safety-for-children/")

    expect(page.locator(".editorial-note")).to_contain_text("Editorial note")
    expect(page.locator(".editorial-note")).to_contain_text("probably garbled")
    expect(page.locator(".description")).not_to_contain_text("probably garbled")
    expect(page.locator(".alignment .badge-muted").first).to_contain_text("Editorial assessment ·")
    screenshot(page, "case-editorial-note-and-alignments")

    page.goto("/initiatives/tencent-charity-foundation-snow-leopard-monitoring/")
    expect(page.locator(".not-assessed")).to_have_text(
        "No child-specific element: not assessed against the requirements."
    )
