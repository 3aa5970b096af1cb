"""The editor's desk in Chromium: an editor claims a submission, comments, corrects its title,
sees the words changed since the last review and publishes; another editor takes a claim that
was released and closes a submission as a duplicate; the partner answers a comment. axe-core
audits the review page and the partner's page with a conversation and corrections on them."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission

from catalogue.models import Initiative, SubmissionComment
from tests import factories
from workflow import transitions

AXE = Axe()


@pytest.fixture
def editors_group(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The Editors group comes from a migration, which the live server's flushed database lacks.
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="review_initiative"))
    return group


@pytest.fixture
def resubmitted(editors_group):
    """A submission an editor sent back once, reworked by the partner and resubmitted."""
    partner = factories.make_partner("partner@example.org")
    first_editor = factories.make_editor("first@example.org")
    submission = factories.make_submission(
        partner,
        status="submitted",
        title="Reading Budy",
        summary="A tutor that listens to children read.",
        sectors=[factories.make_sector(name="Education")],
    )
    transitions.request_changes(submission, first_editor, "Say where it works.")
    Initiative.objects.filter(pk=submission.pk).update(
        summary="A tutor that listens to Kenyan children read."
    )
    transitions.submit(submission, partner)
    return submission


def sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(factories.PARTNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/(submissions|review)/$"))


def assert_no_axe_violations(page):
    violations = AXE.run(page).response["violations"]
    assert not violations, "\n".join(
        f"{v['id']}: {[n['html'][:120] for n in v['nodes']]}" for v in violations
    )


def test_an_editor_claims_comments_corrects_the_title_sees_the_changed_words_and_publishes(
    browser_page, resubmitted, screenshot
):
    factories.make_editor("desk@example.org")
    page = browser_page
    sign_in(page, "desk@example.org")
    page.goto(f"/review/{resubmitted.pk}/")

    page.get_by_role("button", name="Claim it").click()
    assert "Claimed by desk@example.org" in page.locator(".claim").inner_text()

    conversation = page.locator("#conversation")
    conversation.get_by_label("Your comment").fill("Which schools in Kenya?")
    conversation.get_by_label("About").select_option(label="Summary")
    conversation.get_by_role("button", name="Add the comment").click()
    assert "Which schools in Kenya?" in page.locator("#conversation .comments").inner_text()

    correct = page.locator("#correct")
    correct.locator("#id_edit-title").fill("Reading Buddy")
    correct.get_by_role("button", name="Save the corrections").click()
    assert "Saved: Title" in page.locator(".messages").inner_text()
    assert (
        "An editor changed the title from “Reading Budy” to “Reading Buddy”."
        in page.locator(".editor-edits").inner_text()
    )

    added = page.locator(".changes ins", has_text="Kenyan")
    assert added.text_content().split() == ["added:", "Kenyan"]
    assert added.locator(".visually-hidden").bounding_box()["width"] <= 1  # read out, not shown
    assert page.locator(".changes del", has_text="Budy").count() == 1
    screenshot(page, "editor-desk-review-page")
    assert_no_axe_violations(page)

    page.locator(".decision").get_by_label("Publish").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/review/")
    resubmitted.refresh_from_db()
    assert (resubmitted.status, resubmitted.title, resubmitted.claimed_by) == (
        "published",
        "Reading Buddy",
        None,
    )


def test_a_released_claim_is_taken_by_another_editor_who_closes_it_as_a_duplicate(
    browser_page, editors_group, screenshot
):
    original = factories.make_initiative(slug="ai-for-safer-children", title="AI for Safer Children")
    submission = factories.make_submission(
        factories.make_partner("repeater@example.org"), status="submitted", title="AI for safer children"
    )
    factories.make_editor("first@example.org")
    factories.make_editor("second@example.org")
    page = browser_page

    sign_in(page, "first@example.org")
    page.goto(f"/review/{submission.pk}/")
    page.get_by_role("button", name="Claim it").click()
    page.get_by_role("button", name="Release").click()
    assert "any editor can claim it" in page.locator(".messages").inner_text()
    assert "Nobody has claimed this submission yet." in page.locator(".claim").inner_text()

    sign_in(page, "second@example.org")
    page.goto("/review/")
    assert page.locator(".review-queue tbody tr").first.locator("td").last.inner_text() == "—"
    page.goto(f"/review/{submission.pk}/")
    page.get_by_role("button", name="Claim it").click()
    page.locator(".mark-duplicate").get_by_label("AI for Safer Children").check()
    screenshot(page, "editor-desk-duplicate")
    page.get_by_role("button", name="Close as a duplicate").click()
    page.wait_for_url("**/review/")
    submission.refresh_from_db()
    assert (submission.status, submission.duplicate_of, submission.claimed_by) == (
        "duplicate",
        original,
        None,
    )


def test_the_partner_reads_the_editors_comment_and_correction_and_answers(
    browser_page, resubmitted, screenshot
):
    editor = factories.make_editor("desk@example.org")
    transitions.add_comment(resubmitted, editor, "Which schools in Kenya?", field="summary", by_editor=True)
    content = Initiative.objects.for_submission().get(pk=resubmitted.pk)
    transitions.edit_submission(
        resubmitted, editor, {"title": "Reading Buddy"}, version=transitions.content_version(content)
    )
    page = browser_page
    sign_in(page, "partner@example.org")
    page.goto(f"/submissions/{resubmitted.pk}/")

    assert "Which schools in Kenya?" in page.locator("#conversation").inner_text()
    assert (
        "An editor changed the title from “Reading Budy” to “Reading Buddy”."
        in page.locator(".editor-edits").inner_text()
    )
    page.get_by_label("Your comment").fill("Forty schools around Kisumu.")
    page.get_by_label("About").select_option(label="Summary")
    page.get_by_role("button", name="Add the comment").click()

    page.wait_for_url(f"**/submissions/{resubmitted.pk}/#conversation")
    assert "Forty schools around Kisumu." in page.locator("#conversation .comments").inner_text()
    assert "the editors are told" in page.locator(".messages").inner_text()
    screenshot(page, "editor-desk-partner-answers")
    assert_no_axe_violations(page)
    answer = SubmissionComment.objects.get(by_editor=False)
    assert (answer.author.email, answer.field) == ("partner@example.org", "summary")
