"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Locally, a machine without Chromium (at /usr/bin/chromium, or CHROMIUM_PATH) skips these tests
with a reason; in CI (CI=true, 1, yes or on) a missing browser is an error, because .ci/run
installs it.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots land here; CI keeps the folder as an artefact.
SCREENSHOT_DIR = Path(
    os.environ.get("CASEBOOK_SCREENSHOTS", settings.BASE_DIR / "test-artifacts" / "screenshots")
)


def running_in_ci():
    """Whether CI is set to a yes value: CI=false or CI=0 (which some shells and tools set)
    is a local run, not CI."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
        if running_in_ci():
            pytest.fail(message + " (CI must run the browser tests)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in the test thread for the session; the
    # tests' own ORM calls (creating records) are synchronous and safe, so let Django allow
    # them while the browser is open.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser tab on the live test server; relative URLs go to it."""
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, "name") saves a full-page PNG under SCREENSHOT_DIR and returns its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
