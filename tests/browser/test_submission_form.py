"""The partner's form in Chromium (issue 13), with JavaScript (pickers, rows added in place, the
draft saved while typing, a warning before leaving unsaved changes, duplicates warned while the
title is typed) and without it (rows added by a button, near organisation names offered, the
error summary, saving)."""

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Initiative
from catalogue.seeding import seed_tasks
from tests import factories
from tests.browser.test_accessibility import AXE, cookies_for, report


@pytest.fixture
def vocabulary(transactional_db):
    return {
        "lead": factories.make_organisation(name="Readers Trust", slug="readers-trust"),
        "unicef": factories.make_organisation(name="UNICEF China", slug="unicef-china"),
        "partner": factories.make_organisation(name="Open Schools", slug="open-schools"),
        "sector": factories.make_sector(slug="education", name="Education"),
        "requirement": factories.make_requirement(number=3, slug="privacy", title="Protect children's data"),
        "published": factories.make_initiative(title="AI for Safer Children", slug="ai-for-safer-children"),
    }


def open_form(chromium, live_server, partner, *, javascript):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=javascript,
    )
    context.add_cookies(cookies_for(partner, "en", live_server))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/submit/")
    return page


@pytest.fixture
def partner(vocabulary):
    return factories.make_partner("form@example.org")


def no_axe_violations(page):
    violations = AXE.run(page).response["violations"]
    assert not violations, report(violations)


def no_axe_violations_without_scripts(chromium, live_server, partner, html):
    """axe-core runs in the page, which a context without JavaScript cannot: the page as a
    browser without scripts shows it is audited in a context whose own scripts are blocked."""
    page = open_form(chromium, live_server, partner, javascript=True)
    page.route("**/static/js/**", lambda route: route.abort())
    page.reload()
    page.set_content(html)
    assert page.locator(".picker-filter").count() == 0  # no script of ours ran
    no_axe_violations(page)
    page.context.close()


def test_with_javascript_the_partner_picks_adds_rows_and_the_draft_saves_itself(
    chromium, live_server, partner, screenshot
):
    page = open_form(chromium, live_server, partner, javascript=True)
    page.locator("#id_title").press_sequentially("AI for Safer Children online")
    expect(page.locator(".similar-cases")).to_contain_text("AI for Safer Children")  # before saving
    page.locator("#id_summary").fill("Helps police find abuse material faster.")

    # The lead organisation: near names from the API while typing, no name shipped with the page.
    page.locator("#id_lead_organisation").press_sequentially("UNICEF")
    expect(page.locator("#id_lead_organisation-options option")).to_have_count(1)
    assert page.locator("#id_lead_organisation-options option").get_attribute("value") == "UNICEF China"
    page.locator("#id_lead_organisation").fill("UNICEF China")

    # Pickers: a filter box, matching options as boxes, chosen ones as chips.
    countries = page.get_by_label("Countries:")
    assert countries.get_attribute("type") == "search"
    countries.fill("keny")
    expect(page.locator("#id_countries-count")).to_have_text("1 of 1 shown")
    countries.press("Enter")  # to the first match, by keyboard; the form is not sent
    assert page.evaluate("document.activeElement.labels[0].textContent.trim()") == "Kenya"
    page.keyboard.press("Space")
    countries.fill("ugan")
    page.locator("[data-picker-options=id_countries]").get_by_label("Uganda").check()
    chips = page.locator("#id_countries ~ .picker-chips li")
    expect(chips).to_have_text([re.compile("^Kenya"), re.compile("^Uganda")])
    page.get_by_role("button", name="Remove Uganda").click()
    expect(chips).to_have_text([re.compile("^Kenya")])
    page.get_by_label("Partner organisations:").fill("open")
    page.locator("[data-picker-options=id_partners]").get_by_label("Open Schools").check()
    page.locator("main").get_by_label("Education").check()

    # Rows added and removed in place, without loading the page.
    page.get_by_role("button", name="Add another figure").click()
    assert page.evaluate("document.activeElement.id") == "id_key_figures-1-text"
    page.get_by_role("button", name="Add another figure").click()
    expect(page.locator("#key_figures [data-row]")).to_have_count(3)
    page.get_by_role("button", name="Remove: Figure 2").click()
    expect(page.locator("#key_figures [data-row]")).to_have_count(2)
    expect(page.locator("#key_figures legend")).to_have_text(["Figure 1", "Figure 2"])
    page.locator("#id_key_figures-0-text").fill("12,000 children")
    page.locator("#id_key_figures-2-text").fill("140 schools")
    screenshot(page, "submission-form-js-filled")

    # Saved while typing: one draft, at the edit address from then on.
    status = page.locator("[data-autosave-status]")
    expect(status).to_have_attribute("data-state", "saved", timeout=8_000)  # all changes saved
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"))
    draft = Initiative.objects.get(submitted_by=partner)
    assert page.url.endswith(f"/submissions/{draft.pk}/edit/")
    assert draft.status == Initiative.Status.DRAFT
    assert [c.code for c in draft.countries] == ["KE"]
    assert list(draft.key_figures.values_list("text", flat=True)) == ["12,000 children", "140 schools"]
    page.locator("#id_title").fill("AI for Safer Children, online")
    page.locator("#id_start_year").fill("2020")
    expect(status).to_have_attribute("data-state", "saved", timeout=8_000)
    expect(page.locator("#id_title")).to_have_value("AI for Safer Children, online")
    assert (
        Initiative.objects.get(submitted_by=partner).title == "AI for Safer Children, online"
    )  # the same draft
    no_axe_violations(page)

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"**/submissions/{draft.pk}/")
    assert Initiative.objects.get(submitted_by=partner).start_year == 2020
    page.context.close()


def test_with_javascript_leaving_with_unsaved_changes_asks_first(chromium, live_server, partner):
    page = open_form(chromium, live_server, partner, javascript=True)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator("#id_title").press_sequentially("Half-typed")

    page.close(run_before_unload=True)
    page.wait_for_timeout(500)

    assert dialogs == ["beforeunload"]
    page.context.close()


def test_with_javascript_no_warning_once_the_changes_are_saved(chromium, live_server, partner, vocabulary):
    page = open_form(chromium, live_server, partner, javascript=True)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.locator("#id_title").press_sequentially("Reading Buddy")
    page.locator("#id_summary").fill("A tutor.")
    page.locator("#id_lead_organisation").fill("Readers Trust")
    page.locator("main").get_by_label("Education").check()
    expect(page.locator("[data-autosave-status]")).to_have_text(re.compile("^Saved at"), timeout=8_000)

    page.goto("/submissions/")

    assert dialogs == []
    page.context.close()


def test_with_javascript_a_failed_autosave_says_so(chromium, live_server, partner):
    page = open_form(chromium, live_server, partner, javascript=True)
    page.route(
        "**/submit/**", lambda route: route.abort() if route.request.method == "POST" else route.continue_()
    )
    page.locator("#id_title").press_sequentially("Reading Buddy")

    status = page.locator("[data-autosave-status]")
    expect(status).to_have_text("Not saved: the site could not be reached", timeout=8_000)
    page.unroute("**/submit/**")
    page.locator("#id_summary").fill("A tutor.")
    expect(status).to_have_text(re.compile(r"^Not saved yet: fields need attention \(2\)"), timeout=8_000)
    assert not Initiative.objects.filter(submitted_by=partner).exists()
    page.context.close()


def test_without_javascript_rows_are_added_by_a_button_and_names_suggested(
    chromium, live_server, partner, screenshot
):
    page = open_form(chromium, live_server, partner, javascript=False)
    assert page.locator("#id_countries").evaluate("select => select.multiple")
    page.locator("#id_title").fill("Reading Buddy")
    page.locator("#id_key_figures-0-text").fill("12,000 children")
    assert page.locator("input[name$='-DELETE']").count() == 0

    with page.expect_navigation():  # the form comes back from the server
        page.get_by_role("button", name="Add another figure").click()
    expect(page.locator("#key_figures [data-row]")).to_have_count(2)
    assert page.evaluate("document.activeElement.id") == "id_key_figures-1-text"
    expect(page.locator("#id_title")).to_have_value("Reading Buddy")
    expect(page.locator("#id_key_figures-0-text")).to_have_value("12,000 children")
    assert not Initiative.objects.filter(submitted_by=partner).exists()

    page.locator("#id_summary").fill("A speech-recognition tutor.")
    page.locator("#id_lead_organisation").fill("UNICEF")
    page.get_by_role("button", name="Save draft").click()
    summary = page.locator(".error-summary")
    assert summary.evaluate("element => element === document.activeElement")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Lead organisation: No organisation named “UNICEF” is in the catalogue. Did you mean: "
            "UNICEF China? Or propose it as a new one.",
            "Sectors: This field is required.",
        ]
    )
    screenshot(page, "submission-form-no-js-errors")
    no_axe_violations_without_scripts(chromium, live_server, partner, page.content())

    page.get_by_role("button", name="UNICEF China").click()
    expect(page.locator("#id_lead_organisation")).to_have_value("UNICEF China")
    page.locator("main").get_by_label("Education").check()
    page.locator("#id_countries").select_option(["KE"])
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/submissions/*/")
    draft = Initiative.objects.get(submitted_by=partner)
    assert draft.lead_organisation.name == "UNICEF China"
    assert list(draft.key_figures.values_list("text", flat=True)) == ["12,000 children"]
    screenshot(page, "submission-form-no-js-saved")
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_partner_describes_the_initiative_as_a_tool(chromium, live_server, partner, screenshot, javascript):
    seed_tasks()  # an earlier test with a live server emptied the database
    page = open_form(chromium, live_server, partner, javascript=javascript)
    expect(page.locator("#id_tool-deployment")).to_be_hidden()  # one button stands for the fields
    page.locator("#id_title").fill("Image triage for investigators")
    page.locator("#id_summary").fill("Sorts seized images so that officers see the new ones first.")
    page.locator("#id_lead_organisation").fill("Readers Trust")
    page.locator("main").get_by_label("Education").check()

    page.get_by_role("button", name="Describe it as a tool").click()
    expect(page.locator("#id_tool-deployment")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Image triage for investigators")  # kept as typed
    page.locator("#tool-fields").get_by_label("Triage").check()
    page.locator("#id_tool-deployment").select_option("on-premises")
    page.locator("#id_tool-available_to").fill("Police units.")
    page.locator("#id_safeguards-0-kind").select_option("human-review")
    page.locator("#id_safeguards-0-description").fill("An officer reviews every flag.")
    if javascript:
        no_axe_violations(page)
    screenshot(page, f"submission-form-tool-{'js' if javascript else 'no-js'}")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/submissions/*/")

    profile = Initiative.objects.get(submitted_by=partner).tool_profile
    assert list(profile.tasks.values_list("slug", flat=True)) == ["triage"]
    assert (profile.deployment, profile.available_to) == ("on-premises", "Police units.")
    assert profile.safeguards.get().description == "An officer reviews every flag."
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_partner_gives_the_text_in_french_first_and_english_as_a_translation(
    chromium, live_server, partner, screenshot, javascript
):
    page = open_form(chromium, live_server, partner, javascript=javascript)
    expect(page.locator("#id_title_fr")).to_be_hidden()  # in a closed "In other languages"
    page.locator("#id_title").fill("Reading companion")
    page.locator("#id_summary").fill("Listens to children read aloud.")
    page.locator("#id_lead_organisation").fill("Readers Trust")
    page.locator("main").get_by_label("Education").check()

    page.get_by_text("In other languages (optional)").click()  # a <details>: no script needed
    page.get_by_label("Title (Français)").fill("Compagnon de lecture")
    page.get_by_label("Summary (Français)").fill("Écoute les enfants lire à voix haute.")
    page.get_by_role("group", name="Which language did you write it in first?").get_by_label(
        "Français"
    ).check()
    if javascript:
        no_axe_violations(page)
    else:
        no_axe_violations_without_scripts(chromium, live_server, partner, page.content())
    screenshot(page, f"submission-form-languages-{'js' if javascript else 'no-js'}")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/submissions/*/")

    draft = Initiative.objects.get(submitted_by=partner)
    assert (draft.title_fr, draft.text_origins) == (
        "Compagnon de lecture",
        {"fr": "partner", "original": "fr"},
    )
    expect(page.locator(".original-language")).to_have_text("Original language: Français")
    page.context.close()
