"""The members' tier in Chromium: an officer applies to the practitioners' community, an
editor approves the application, the officer reads the members-only part of a tool's record
and posts an experience report that an editor approves, and then finds a peer in the member
directory and writes to them through the site; the peer reads the report. axe-core audits each
page on the way."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission
from django.core import mail
from playwright.sync_api import expect

from hub.models import AccessRecord, Community, ContactMessage, ExperienceReport, Membership
from tests import factories
from tests.hub.conftest import FIRST_COMMUNITY

AXE = Axe()


@pytest.fixture
def hub(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The live server's flushed database lacks what migrations create: the Editors group and
    # the first community.
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="review_initiative"))
    community, _ = Community.objects.get_or_create(
        slug=FIRST_COMMUNITY,
        defaults={
            "name": "Law enforcement and child protection practitioners",
            "description": "Practitioners who counter the abuse of children online.",
        },
    )
    peer = factories.make_partner("peer@example.org")
    factories.make_membership(
        peer,
        community,
        status="approved",
        organisation="Policía Federal Argentina",
        role="Victim identification analyst",
        country="AR",
        listed_in_directory=True,
    )
    factories.make_partner("officer@example.org")
    editor = factories.make_editor("vetting@example.org")
    tool = factories.make_initiative(
        slug="ai-for-safer-children-global-hub", title="AI for Safer Children Global Hub"
    )
    factories.make_restricted_part(tool, community, text=ACCESS_CONTACT, written_by=editor)
    return community


ACCESS_CONTACT = "Request access through the unit's liaison officer, who vets each agency."
TOOL = "/initiatives/ai-for-safer-children-global-hub/"


def sign_in(page, email, then):
    page.context.clear_cookies()
    page.goto(f"/accounts/login/?next={then}")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(factories.PARTNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{then}")


def assert_no_axe_violations(page):
    violations = AXE.run(page).response["violations"]
    assert not violations, "\n".join(
        f"{v['id']}: {[n['html'][:120] for n in v['nodes']]}" for v in violations
    )


def test_an_officer_applies_is_approved_and_writes_to_a_peer(browser_page, hub, screenshot):
    page = browser_page

    # The officer applies from the community's page.
    sign_in(page, "officer@example.org", "/communities/")
    page.get_by_role("link", name="Law enforcement and child protection practitioners").click()
    page.get_by_label("Organisation").fill("Kenya Police Child Protection Unit")
    page.get_by_label("Role").fill("Detective sergeant")
    page.get_by_label("Country").select_option(label="Kenya")
    page.get_by_label("Reason").fill("I triage reports of child sexual abuse material.")
    page.get_by_label("List me in the member directory").check()
    screenshot(page, "hub-community-apply")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Apply to join").click()
    page.wait_for_url("**/accounts/profile/")
    assert "waiting for the editors" in page.locator(".memberships").inner_text()

    # Not yet a member, they read only that more is available to vetted members.
    page.goto(TOOL)
    notice = page.locator(".members-only")
    assert "available to vetted members of" in notice.inner_text()
    assert "liaison officer" not in page.content()

    # The members' directory is closed to them until they are approved.
    page.goto("/members/")
    assert "open to vetted members of a community only" in page.locator("main").inner_text()

    # An editor approves the application from the queue.
    sign_in(page, "vetting@example.org", "/review/members/")
    screenshot(page, "hub-membership-queue")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="officer@example.org").click()
    page.get_by_label("Approve").check()
    page.get_by_label("Note to the applicant").fill("Welcome to the community.")
    screenshot(page, "hub-membership-review")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/review/members/")
    assert "approved" in page.locator(".messages").inner_text()
    officer = Membership.objects.get(user__email="officer@example.org")
    assert officer.status == "approved"
    assert any(message.to == ["officer@example.org"] for message in mail.outbox)

    # The officer, now a member, reads the tool's access contact and shares their experience.
    sign_in(page, "officer@example.org", TOOL)
    assert ACCESS_CONTACT in page.locator(".restricted-part").inner_text()
    screenshot(page, "hub-restricted-part")
    assert_no_axe_violations(page)
    assert AccessRecord.objects.filter(reader__email="officer@example.org").count() == 1
    page.get_by_role("link", name="Share your experience of this case").click()
    page.get_by_label("Where you used it").fill("A child protection unit in Nairobi")
    page.get_by_label("What you used it for").fill("Finding tools to triage seized devices.")
    page.get_by_label("What worked").fill("The tool profiles listed who may obtain each tool.")
    page.get_by_label("What did not work").fill("Some tools had no Swahili interface.")
    screenshot(page, "hub-report-form")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(f"**{TOOL}")
    assert "waiting for the editors" in page.locator(".messages").inner_text()
    assert "Waiting for moderation" in page.locator(".experience-report").inner_text()
    assert any("to moderate" in message.subject for message in mail.outbox)

    # An editor approves the report.
    sign_in(page, "vetting@example.org", "/review/members/")
    page.get_by_role("link", name="Experience reports to moderate").click()
    page.get_by_role("link", name="AI for Safer Children Global Hub").click()
    assert "Some tools had no Swahili interface." in page.locator(".report-facts").inner_text()
    page.get_by_label("Approve: members may read it").check()
    screenshot(page, "hub-report-moderate")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/review/reports/")
    assert ExperienceReport.objects.get().status == "approved"

    # The officer finds a peer in Argentina and writes to them.
    sign_in(page, "officer@example.org", "/communities/")
    page.get_by_role("link", name="Law enforcement and child protection practitioners").click()
    assert re.search(r"You are a member until \w+", page.locator(".membership").inner_text())
    page.get_by_role("link", name="Member directory").click()
    page.wait_for_url("**/members/")
    page.get_by_label("Country").select_option(label="Argentina")
    page.get_by_role("button", name="Filter").click()
    # Wait for the filtered page itself: count() does not wait, and right after the click it
    # can read a document that is still loading (CI once counted 0 rows here).
    page.wait_for_url("**/members/?country=AR")
    rows = page.locator(".member-directory tbody tr")
    expect(rows).to_have_count(1)
    assert "peer@example.org" not in page.content()
    screenshot(page, "hub-member-directory")
    assert_no_axe_violations(page)
    rows.get_by_role("link", name=re.compile("Write to Victim identification analyst")).click()
    page.get_by_label("Your message").fill("Have you used a triage tool on seized devices?")
    assert "peer@example.org" not in page.content()
    screenshot(page, "hub-contact")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send the message").click()
    page.wait_for_url("**/members/")
    assert "Your address was not shown" in page.locator(".messages").inner_text()

    message = ContactMessage.objects.get()
    assert (message.sender.email, message.recipient.email) == ("officer@example.org", "peer@example.org")
    [to_peer] = [m for m in mail.outbox if m.to == ["peer@example.org"]]
    assert "officer@example.org" not in to_peer.subject + to_peer.body
    assert "Kenya Police Child Protection Unit" in to_peer.body

    # The peer reads the officer's approved report on the tool's page, and their own reading
    # in their access log.
    sign_in(page, "peer@example.org", TOOL)
    report = page.locator(".experience-report")
    assert "The tool profiles listed who may obtain each tool." in report.inner_text()
    assert "Kenya Police Child Protection Unit" in report.inner_text()
    assert "officer@example.org" not in page.content()
    screenshot(page, "hub-report-read")
    assert_no_axe_violations(page)
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Your access log").click()
    expect(page.locator(".access-log tbody tr")).to_have_count(2)  # the access contact and the report
    screenshot(page, "hub-access-log")
    assert_no_axe_violations(page)
