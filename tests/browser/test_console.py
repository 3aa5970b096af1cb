"""Pages load in Chromium without console errors: no blocked resource (CSP), no 404 asset."""

import pytest

PAGES = [
    "/",
    "/initiatives/?q=hearing&sector=accessibility",
    "/initiatives/tencent-hearing-aid-audio-algorithms/",
    "/organisations/",
    "/api/v1/docs/",
    "/accounts/signup/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_console_errors(browser_page, shipped_catalogue, path):
    errors = []
    browser_page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    browser_page.goto(path)
    browser_page.wait_for_load_state("networkidle")

    assert errors == []
