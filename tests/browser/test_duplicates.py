"""Duplicates caught before they happen, in Chromium: the form warns while the title is
typed, and an editor closes a submission as a duplicate of a published case."""

import re

import pytest

from tests import factories


@pytest.fixture
def published_case(transactional_db):
    return factories.make_initiative(
        slug="ai-for-safer-children",
        title="AI for Safer Children",
        lead_organisation=factories.make_organisation(slug="unicri", name="UNICRI"),
    )


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(factories.PARTNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/(submissions|review)/$"))


def test_the_form_lists_similar_published_cases_while_the_title_is_typed(
    browser_page, published_case, settings, screenshot
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.make_partner("typist@example.org")
    page = browser_page
    sign_in(page, "typist@example.org")
    page.goto("/submit/")

    page.locator("#id_title").press_sequentially("AI for safer children", delay=20)

    warning = page.locator(".similar-cases")
    link = warning.get_by_role("link", name="AI for Safer Children")
    link.wait_for()
    assert warning.get_attribute("aria-live") == "polite"
    assert "similar title" in warning.inner_text()
    assert link.get_attribute("href").endswith("/initiatives/ai-for-safer-children/")
    screenshot(page, "duplicates-warned-while-typing")

    page.locator("#id_title").fill("Flood forecasting for farmers")
    warning.get_by_role("link").first.wait_for(state="detached")
