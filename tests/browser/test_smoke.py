def test_home_page_renders_in_chromium(browser_page, shipped_catalogue):
    browser_page.goto("/")

    assert browser_page.locator("h1").first.is_visible()
    assert "Casebook" in browser_page.title()
