"""A case's related initiatives: shown in place where scripts run, one link away where they
do not (they are a request of their own: ranking them costs more than the case itself); and a
case's cited address that still opens it after a rename, at phone and desktop widths."""

from playwright.sync_api import expect

from catalogue.models import Initiative

SNOW_LEOPARD = "/initiatives/tencent-charity-foundation-snow-leopard-monitoring/"


def test_related_initiatives_appear_on_the_case_page(browser_page, shipped_catalogue, screenshot):
    page = browser_page
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(SNOW_LEOPARD)

    related = page.locator("section.related")
    expect(related).to_have_attribute("data-related-loaded", "")
    links = related.locator(".related-list a")
    assert 3 <= links.count() <= 6
    expect(related.locator(".related-link")).to_have_count(0)
    screenshot(page, "case-page-related-in-place")
    links.first.click()
    expect(page.locator("h1")).not_to_have_text("Snow leopard")
    assert messages == []  # no script error, no CSP refusal


def test_without_scripts_related_initiatives_are_one_link_away(chromium, live_server, shipped_catalogue):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(SNOW_LEOPARD)
        page.get_by_role("link", name="Initiatives sharing a sector").click()
        expect(page.locator("h1")).to_have_text("Related initiatives")
        assert 3 <= page.locator(".related-list a").count() <= 6
    finally:
        context.close()


def test_a_cited_address_of_a_renamed_case_still_opens_it(browser_page, shipped_catalogue):
    # Issue 16: an editor renames a published case; the address a reader cited must still open it.
    case = Initiative.objects.get(slug=SNOW_LEOPARD.strip("/").split("/")[-1])
    title = case.title
    case.slug = "snow-leopards-renamed"
    case.save()

    for width in (375, 1280):
        browser_page.set_viewport_size({"width": width, "height": 800})
        response = browser_page.goto(SNOW_LEOPARD)
        assert response.request.redirected_from is not None  # answered with a redirect
        assert browser_page.url.endswith("/initiatives/snow-leopards-renamed/")
        expect(browser_page.locator("h1")).to_have_text(title)
