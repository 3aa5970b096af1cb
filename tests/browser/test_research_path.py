"""Issue 11's path, clicking only: from "which WIC education cases address requirement 8?" to
the evidence matrix, a cell's evidence, and the quoted passage highlighted in the source."""

import re

import bibtexparser
from playwright.sync_api import expect

from tests import factories

QUERY = "sector=education&requirement=8&source=wic-ai-for-social-good-action-plan-2023-2025"


def test_a_matrix_cell_leads_to_its_quote_highlighted_in_the_source(
    browser_page, shipped_catalogue, screenshot
):
    page = browser_page
    page.goto(f"/initiatives/?{QUERY}")
    page.get_by_role("link", name="Show these as an evidence matrix").click()
    expect(page.locator("h1")).to_have_text("Evidence matrix")

    cell = page.locator("table.evidence-matrix details", has=page.locator("blockquote")).first
    cell.locator("summary").click()
    quote = " ".join(cell.locator("blockquote p").inner_text().split())
    expect(cell.locator(".evidence")).to_be_visible()
    screenshot(page, "matrix-cell-open")

    cell.get_by_role("link", name="Read it in the document").click()

    expect(page).to_have_url(
        re.compile(r"/sources/wic-ai-for-social-good-action-plan-2023-2025/text/#alignment-\d+$")
    )
    anchor_id = page.url.rsplit("#", 1)[1]
    mark = page.locator(f"mark:has(> #{anchor_id})")
    expect(mark).to_be_in_viewport()
    assert quote[:40] in " ".join(mark.inner_text().split())
    # The passage the link points at stands out from the other quoted passages.
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(253, 224, 71)"
    screenshot(page, "source-text-passage")


def test_a_signed_in_reader_saves_the_list_as_a_collection_and_downloads_its_bibtex(
    browser_page, shipped_catalogue, screenshot
):
    factories.make_partner("reader@example.org")
    page = browser_page
    page.goto(f"/initiatives/?{QUERY}")
    cases = int(re.match(r"\d+", page.locator("#results-heading").inner_text()).group())

    page.get_by_role("link", name="Save as a collection").click()
    page.get_by_label("Email:").fill("reader@example.org")  # asked to sign in first
    page.get_by_label("Password:").fill(factories.PARTNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Name").fill("WIC education cases addressing requirement 8")
    page.get_by_role("button", name="Save the collection").click()

    expect(page).to_have_url(re.compile(r"/collections/[\w-]+/$"))
    expect(page.locator("h1")).to_have_text("WIC education cases addressing requirement 8")
    screenshot(page, "collection")
    with page.expect_download() as download:
        page.get_by_role("link", name="BibTeX").click()
    library = bibtexparser.parse_string(open(download.value.path(), encoding="utf-8").read())
    assert len(library.entries) == cases > 0
