"""A partner fills in /submit/ in a real browser, saves the draft and submits it."""

import pytest
from playwright.sync_api import expect

from catalogue.models import Initiative
from tests import factories
from tests.browser.test_accessibility import AXE, report


@pytest.fixture
def signed_in_partner(browser_page, settings, transactional_db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.make_organisation(name="Readers Trust", slug="readers-trust")
    factories.make_sector(slug="education", name="Education")
    factories.make_requirement(number=3, slug="privacy", title="Protect children's data")
    partner = factories.make_partner("browser@example.org")
    browser_page.goto("/accounts/login/")
    browser_page.get_by_label("Email:").fill("browser@example.org")
    browser_page.get_by_label("Password:").fill(factories.PARTNER_PASSWORD)
    browser_page.get_by_role("button", name="Sign in").click()
    browser_page.wait_for_url("**/submissions/")
    return partner


def test_a_partner_fills_in_and_submits_the_form(browser_page, signed_in_partner, screenshot):
    page = browser_page
    page.goto("/submit/")
    page.locator("#id_title").fill("Reading Buddy <b>for</b> rural schools")
    page.get_by_label("Summary:", exact=True).fill(
        "A speech-recognition tutor that listens to children read."
    )
    page.get_by_label("Start year:").fill("2021")
    page.get_by_label("Website:", exact=True).fill("https://reading-buddy.example.org/")
    page.get_by_label("Lead organisation:").fill("Readers Trust")
    page.get_by_label("Education").check()
    page.get_by_label("Countries:").fill("Kenya")  # the picker's filter box
    page.locator("[data-picker-options=id_countries]").get_by_label("Kenya").check()
    page.locator("#id_key_figures-0-text").fill("12,000 children in 140 schools")
    page.locator("#id_alignments-0-requirement").select_option(label="3. Protect children's data")
    page.locator("#id_alignments-0-rationale").fill("Recordings never leave the school's tablet.")
    page.locator("#id_sources-0-title").fill("Annual report 2023")
    page.locator("#id_sources-0-url").fill("https://reading-buddy.example.org/report.pdf")
    screenshot(page, "submit-form-filled")

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/submissions/*/")
    assert page.locator("h1").inner_text() == "Your submission: Reading Buddy <b>for</b> rural schools"
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url("**/submissions/*/")
    screenshot(page, "submit-submitted")

    initiative = Initiative.objects.get()
    assert initiative.status == Initiative.Status.SUBMITTED
    assert initiative.lead_organisation.name == "Readers Trust"
    assert list(initiative.countries) == ["KE"]
    assert initiative.key_figures.get().text == "12,000 children in 140 schools"
    assert "Submitted for review" in page.locator("main").inner_text()


def test_errors_are_shown_next_to_the_fields_and_values_kept(browser_page, signed_in_partner, screenshot):
    page = browser_page
    page.goto("/submit/")
    page.locator("#id_title").fill("A case without a sector")
    page.get_by_label("Summary:", exact=True).fill("Summary.")
    page.get_by_label("Lead organisation:").fill("Unknown Org")

    page.get_by_role("button", name="Save draft").click()

    assert page.get_by_role("alert").get_by_role("heading").inner_text() == "There is a problem"
    assert "propose it as a new one" in page.locator("main").inner_text()
    assert page.locator("#id_title").input_value() == "A case without a sector"
    screenshot(page, "submit-errors")
    assert not Initiative.objects.exists()


def test_back_then_save_again_changes_the_first_draft(browser_page, signed_in_partner, screenshot):
    page = browser_page
    page.goto("/submit/")
    page.locator("#id_title").fill("Reading Buddy")
    page.get_by_label("Summary:", exact=True).fill(
        "A speech-recognition tutor that listens to children read."
    )
    page.get_by_label("Lead organisation:").fill("Readers Trust")
    page.get_by_label("Education").check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/submissions/*/")
    first = Initiative.objects.get()

    page.go_back()
    page.locator("#id_title").fill("Reading Buddy for rural schools")
    screenshot(page, "submit-back-again")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"**/submissions/{first.pk}/")

    assert Initiative.objects.get().pk == first.pk
    assert page.locator("h1").inner_text() == "Your submission: Reading Buddy for rural schools"


def test_the_error_summary_takes_the_focus_and_its_links_lead_to_the_fields(
    browser_page, signed_in_partner, screenshot
):
    page = browser_page
    page.goto("/submit/")
    page.locator("#id_title").fill("A case without a sector")
    page.get_by_label("Summary:", exact=True).fill("Summary.")
    page.get_by_label("Lead organisation:").fill("Unknown Org")
    page.locator("#id_key_figures-0-text_zh").fill("一万名儿童")  # a Chinese figure without the English

    page.get_by_role("button", name="Save draft").click()

    summary = page.locator(".error-summary")
    # Waits for the re-rendered form (a full page on a loaded CI machine can take over the
    # locator's default 10 s to come back), then asserts the summary took the focus.
    expect(summary).to_be_focused(timeout=30_000)
    links = summary.get_by_role("link")
    texts = links.all_inner_texts()
    assert [text.split(":")[0] for text in texts] == ["Lead organisation", "Sectors", "Figure 1, Figure"]
    screenshot(page, "submit-error-summary")
    violations = AXE.run(page).response["violations"]
    assert not violations, report(violations)
    links.nth(2).click()
    assert page.evaluate("document.activeElement.id") == "id_key_figures-0-text"
    assert page.locator("#id_key_figures-0-text").is_visible()
    page.locator(".error-summary").get_by_role("link").nth(1).click()
    assert page.evaluate("document.activeElement.id") == "id_sectors_0"
    assert not Initiative.objects.exists()


def test_a_partner_withdraws_a_submission_then_deletes_the_draft(browser_page, signed_in_partner, screenshot):
    page = browser_page
    initiative = factories.make_submission(
        signed_in_partner, status=Initiative.Status.SUBMITTED, title="Second thoughts"
    )
    page.goto(f"/submissions/{initiative.pk}/")

    page.get_by_role("link", name="Withdraw it from review").click()
    screenshot(page, "submit-withdraw-confirm")
    page.get_by_role("button", name="Withdraw it").click()
    page.wait_for_url(f"**/submissions/{initiative.pk}/")
    assert "Withdrawn: it is a draft again" in page.locator("main").inner_text()
    page.get_by_role("link", name="Delete this draft").click()
    page.get_by_role("button", name="Delete the draft").click()
    page.wait_for_url("**/submissions/")

    assert "The draft “Second thoughts” is deleted." in page.locator("main").inner_text()
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.DELETED
    assert initiative.status_changes.count() == 4  # draft, submitted, withdrawn, deleted
