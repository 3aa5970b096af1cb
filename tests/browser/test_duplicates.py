"""Duplicates caught before they happen, in Chromium: the form warns while the title is
typed, and an editor closes a submission as a duplicate of a published case."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

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


def test_an_editor_claims_a_submission_closes_it_as_a_duplicate_and_the_partner_sees_where_the_case_is(
    browser_page, published_case, settings, screenshot
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    partner = factories.make_partner("repeater@example.org")
    submission = factories.make_submission(
        partner, status="submitted", title="AI for Safer Children", lead_organisation=None
    )
    # The Editors group comes from a migration, which the live server's flushed database lacks.
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="review_initiative"))
    factories.make_editor("desk@example.org")
    page = browser_page
    sign_in(page, "desk@example.org")

    page.goto(f"/review/{submission.pk}/")
    page.get_by_role("button", name="Claim it").click()
    assert "Claimed by desk@example.org" in page.locator(".claim").inner_text()
    page.locator(".mark-duplicate").get_by_label("AI for Safer Children").check()
    page.locator(".mark-duplicate").get_by_label("Note to the partner").fill("UNICRI runs this one.")
    screenshot(page, "duplicates-editor-marks")
    page.get_by_role("button", name="Close as a duplicate").click()
    page.wait_for_url("**/review/")
    assert "closed as a duplicate" in page.locator("main").inner_text()

    page.context.clear_cookies()
    sign_in(page, "repeater@example.org")
    page.goto(f"/submissions/{submission.pk}/")
    notice = page.locator(".duplicate-notice")
    assert notice.get_by_role("link", name="AI for Safer Children").get_attribute("href") == (
        "/initiatives/ai-for-safer-children/"
    )
    screenshot(page, "duplicates-partner-told")
    notice.get_by_role("link", name="Propose your additions to that case").click()
    assert page.locator("#id_title").input_value() == "Additions to: AI for Safer Children"
