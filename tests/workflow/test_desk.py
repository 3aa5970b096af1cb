"""The editor's desk: editors correct a submission on the review page (each change recorded and
shown to the partner), hold a conversation with the partner, release their claim, see which
words changed, and see which published case a draft proposes additions to."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import (
    Initiative,
    PartnerProfile,
    ProposedOrganisation,
    RequirementAlignment,
    SubmissionComment,
    SubmissionEdit,
)
from tests import factories
from tests.workflow.test_races import BrowserClient, at_once, server  # noqa: F401 (a fixture)
from workflow import transitions
from workflow.templatetags.workflow import word_diff

Status = Initiative.Status
Mail = PartnerProfile.SubmissionMail

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(partner_a, vocabulary):
    initiative = factories.make_submission(
        partner_a,
        status=Status.SUBMITTED,
        title="Reading Budy for rural schools",
        summary="A tutor that listens to children read.",
        lead_organisation=None,
    )
    ProposedOrganisation.objects.create(initiative=initiative, name="reading buddy ngo")
    RequirementAlignment.objects.create(
        initiative=initiative,
        requirement=vocabulary["requirement"],
        rationale="Recordings stay on the tablet.",
        made_by=RequirementAlignment.MadeBy.PARTNER,
    )
    return initiative


def review_page(client, initiative):
    return client.get(reverse("review:detail", args=[initiative.pk]))


def edit_data(initiative, **changes):
    """The review page's correction form as shown for `initiative`, with `changes` typed in."""
    initiative = Initiative.objects.for_submission().get(pk=initiative.pk)
    data = {f"edit-{key}": value for key, value in transitions.editable_content(initiative).items()}
    data["edit-version"] = transitions.content_version(initiative)
    data.update({f"edit-{key}": value for key, value in changes.items()})
    return data


def rationale_key(initiative):
    return f"rationale-{initiative.alignments.get().pk}"


# --- Editors correct the content ----------------------------------------------------------------


def test_an_editor_corrects_the_title_and_the_partner_reads_what_changed(
    client, editor, partner_a, submission
):
    client.force_login(editor)
    data = edit_data(submission, title="Reading Buddy for rural schools")

    response = client.post(reverse("review:edit", args=[submission.pk]), data)

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.title == "Reading Buddy for rural schools"
    client.force_login(partner_a)
    page = client.get(reverse("submissions:detail", args=[submission.pk])).content.decode()
    assert (
        "An editor changed the title from “Reading Budy for rural schools” to "
        "“Reading Buddy for rural schools”." in page
    )


def test_each_correction_is_recorded_with_who_when_the_field_before_and_after(client, editor, submission):
    client.force_login(editor)
    data = edit_data(
        submission,
        summary="A tutor that listens to children read aloud.",
        lead_organisation="Reading Buddy NGO",
        **{rationale_key(submission): "Recordings never leave the tablet."},
    )

    client.post(reverse("review:edit", args=[submission.pk]), data)

    edits = {edit.field: edit for edit in SubmissionEdit.objects.filter(initiative=submission)}
    assert set(edits) == {"summary", "lead_organisation", "requirements"}
    assert all(edit.editor == editor and edit.created_at for edit in edits.values())
    assert edits["lead_organisation"].before == "reading buddy ngo"
    assert edits["lead_organisation"].after == "Reading Buddy NGO"
    assert edits["requirements"].detail == str(submission.alignments.get().requirement)
    assert submission.alignments.get().rationale == "Recordings never leave the tablet."


def test_the_corrected_organisation_name_is_the_one_that_goes_public(client, editor, submission):
    client.force_login(editor)
    client.post(
        reverse("review:edit", args=[submission.pk]),
        edit_data(submission, lead_organisation="Reading Buddy NGO"),
    )

    transitions.publish(submission, editor)

    submission.refresh_from_db()
    assert submission.lead_organisation.name == "Reading Buddy NGO"


def test_an_unchanged_form_records_nothing(client, editor, submission):
    client.force_login(editor)

    response = client.post(reverse("review:edit", args=[submission.pk]), edit_data(submission), follow=True)

    assert "Nothing was different" in response.content.decode()
    assert not SubmissionEdit.objects.exists()


def test_an_edit_from_a_page_shown_before_the_partner_changed_the_submission_is_refused(
    client, editor, submission
):
    client.force_login(editor)
    stale = edit_data(submission, title="Reading Buddy")
    Initiative.objects.filter(pk=submission.pk).update(summary="The partner's newer summary.")

    response = client.post(reverse("review:edit", args=[submission.pk]), stale)

    assert response.status_code == 409
    assert "changed after you opened the page" in response.content.decode()
    assert "The partner&#x27;s newer summary." in response.content.decode()
    submission.refresh_from_db()
    assert submission.title == "Reading Budy for rural schools"
    assert not SubmissionEdit.objects.exists()


def test_a_form_shown_before_the_partner_added_a_requirement_is_a_conflict_not_a_missing_field(
    client, editor, submission, vocabulary
):
    client.force_login(editor)
    stale = edit_data(submission, title="Reading Buddy")
    RequirementAlignment.objects.create(
        initiative=submission,
        requirement=factories.make_requirement(number=7, slug="fairness", title="Fairness"),
        rationale="Works offline.",
    )

    response = client.post(reverse("review:edit", args=[submission.pk]), stale)

    assert response.status_code == 409
    assert "changed after you opened the page" in response.content.decode()
    assert not SubmissionEdit.objects.exists()


def test_an_empty_title_is_refused_with_a_form_error(client, editor, submission):
    client.force_login(editor)

    response = client.post(reverse("review:edit", args=[submission.pk]), edit_data(submission, title=""))

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    submission.refresh_from_db()
    assert submission.title == "Reading Budy for rural schools"


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.DELETED, Status.DRAFT])
def test_a_case_not_waiting_for_review_cannot_be_corrected_here(client, editor, submission, status):
    client.force_login(editor)
    data = edit_data(submission, title="Changed")
    Initiative.objects.filter(pk=submission.pk).update(status=status, published_at=submission.created_at)

    response = client.post(reverse("review:edit", args=[submission.pk]), data, follow=True)

    assert "editors correct submissions only while they wait for review" in response.content.decode()
    submission.refresh_from_db()
    assert submission.title == "Reading Budy for rural schools"


@pytest.mark.parametrize(
    "persona, expected", [("anonymous", 302), ("partner_a", 403), ("colleague", 403), ("partner_b", 403)]
)
def test_only_editors_may_correct_a_submission(client_for, personas, submission, persona, expected):
    client = client_for(personas[persona])

    response = client.post(
        reverse("review:edit", args=[submission.pk]), edit_data(submission, title="Hijacked")
    )

    assert response.status_code == expected
    submission.refresh_from_db()
    assert submission.title == "Reading Budy for rural schools"


def test_comments_and_corrections_add_no_queries_per_row(
    client, editor, partner_a, submission, django_assert_num_queries
):
    def version():
        return transitions.content_version(Initiative.objects.for_submission().get(pk=submission.pk))

    for n in range(3):
        transitions.add_comment(submission, editor, f"Question {n}", by_editor=True)
        transitions.add_comment(submission, partner_a, f"Answer {n}")
        transitions.edit_submission(submission, editor, {"title": f"Title {n}"}, version=version())
    client.force_login(editor)

    # as tests/workflow/test_claims.py counts the review page (18), then the conversation with
    # its authors and the corrections with their editors: one query each, however many rows
    with django_assert_num_queries(20):
        page = review_page(client, submission).content.decode()

    assert all(f"Question {n}" in page and f"Answer {n}" in page for n in range(3))
    assert page.count("An editor changed the title") == 3


def test_the_review_page_offers_the_correction_form_with_the_current_content(client, editor, submission):
    client.force_login(editor)

    page = review_page(client, submission).content.decode()

    assert 'name="edit-title"' in page
    assert 'value="Reading Budy for rural schools"' in page
    assert 'name="edit-lead_organisation"' in page
    assert f'name="edit-{rationale_key(submission)}"' in page


def test_the_review_pages_heading_is_punctuated_as_the_language_does(client, editor, submission, settings):
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    page = review_page(client, submission).content.decode()

    assert "<h1>Examen : Reading Budy for rural schools</h1>" in page  # a space before the colon


def test_the_correction_form_has_every_language_and_folds_those_without_text(client, editor, submission):
    Initiative.objects.filter(pk=submission.pk).update(title_fr="Compagnon de lecture")
    client.force_login(editor)

    page = review_page(client, submission).content.decode()

    for key in ["title_zh", "summary_zh", "title_ar", "summary_ar", "title_ru", "title_es", "summary_fr"]:
        assert f'name="edit-{key}"' in page, key
    given, folded = page.split('<details class="in-other-languages">')
    assert 'value="Compagnon de lecture"' in given  # French is given: shown, not folded
    assert 'name="edit-title_ar"' in folded
    assert re.search(r'<input[^>]*name="edit-title_ar"[^>]*lang="ar"', folded)


def test_an_editors_translation_is_saved_and_marked_as_the_catalogues(client, editor, partner_a, submission):
    Initiative.objects.filter(pk=submission.pk).update(
        title_fr="Compagnon de lecture", text_origins={"fr": "partner", "original": "en"}
    )
    client.force_login(editor)

    response = client.post(
        reverse("review:edit", args=[submission.pk]),
        edit_data(
            submission, title_fr="Compagnon de lecture pour les écoles rurales", title_ar="رفيق القراءة"
        ),
    )

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.title_fr == "Compagnon de lecture pour les écoles rurales"
    assert submission.title_ar == "رفيق القراءة"
    assert submission.text_origins == {"fr": "editorial", "ar": "editorial", "original": "en"}
    assert {edit.field for edit in SubmissionEdit.objects.filter(initiative=submission)} == {
        "title_fr",
        "title_ar",
    }
    client.force_login(partner_a)
    page = client.get(reverse("submissions:detail", args=[submission.pk])).content.decode()
    assert "An editor changed the title in Français from “Compagnon de lecture” to" in page


def test_a_language_the_editor_empties_loses_its_origin(client, editor, submission):
    Initiative.objects.filter(pk=submission.pk).update(
        title_es="Compañero", text_origins={"es": "partner", "original": "en"}
    )
    client.force_login(editor)

    client.post(reverse("review:edit", args=[submission.pk]), edit_data(submission, title_es=""))

    submission.refresh_from_db()
    assert not submission.title_es
    assert submission.text_origins == {"original": "en"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_editors_correcting_at_once_one_is_saved_and_the_other_told(server):  # noqa: F811
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="review_initiative"))
    first, second = factories.make_editor(), factories.make_editor()
    submission = factories.make_submission(
        factories.make_partner(), status=Status.SUBMITTED, title="Old title"
    )
    url = f"{server}{reverse('review:edit', args=[submission.pk])}"
    shown = edit_data(submission)

    responses = at_once(
        [
            lambda: BrowserClient(first).post(url, {**shown, "edit-title": "First editor's title"}),
            lambda: BrowserClient(second).post(url, {**shown, "edit-title": "Second editor's title"}),
        ]
    )

    assert sorted(response.status_code for response in responses) == [302, 409]
    [edit] = SubmissionEdit.objects.all()
    assert edit.before == "Old title"
    submission.refresh_from_db()
    assert submission.title == edit.after


# --- The conversation ---------------------------------------------------------------------------


def comment(client, url, body, field=""):
    return client.post(url, {"comment-body": body, "comment-field": field})


def test_an_editor_comments_about_a_field_and_the_partner_reads_it_and_gets_a_mail(
    client, editor, partner_a, submission, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = comment(
            client, reverse("review:comment", args=[submission.pk]), "Which schools?", "summary"
        )

    assert response.status_code == 302
    client.force_login(partner_a)
    page = client.get(reverse("submissions:detail", args=[submission.pk])).content.decode()
    assert "Which schools?" in page
    assert "<em>Summary</em>" in page
    [message] = [m for m in mail.outbox if m.to == [partner_a.email]]
    assert "Which schools?" in message.body
    assert f"/submissions/{submission.pk}/" in message.body


def test_the_partner_answers_from_their_page_and_the_editor_who_has_it_is_mailed(
    client, editor, partner_a, submission, django_capture_on_commit_callbacks
):
    other_editor = factories.make_editor("other-editor@example.org")
    transitions.claim(submission, editor)
    client.force_login(partner_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = comment(client, reverse("submissions:detail", args=[submission.pk]), "Forty schools.")

    assert response.status_code == 302
    answer = SubmissionComment.objects.get()
    assert (answer.author, answer.by_editor, answer.body) == (partner_a, False, "Forty schools.")
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED  # answering does not edit the case
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert other_editor.email not in str([m.to for m in mail.outbox])
    client.force_login(editor)
    assert "Forty schools." in review_page(client, submission).content.decode()


def test_an_unclaimed_submissions_answer_reaches_every_editor_who_wants_each_mail(
    client, editor, partner_a, submission, django_capture_on_commit_callbacks
):
    digest_editor = factories.make_editor("digest-editor@example.org")
    PartnerProfile.objects.filter(user=digest_editor).update(submission_mail=Mail.DIGEST)
    client.force_login(partner_a)

    with django_capture_on_commit_callbacks(execute=True):
        comment(client, reverse("submissions:detail", args=[submission.pk]), "Forty schools.")

    assert [m.to for m in mail.outbox] == [[editor.email]]


@pytest.mark.parametrize("preference", [Mail.DIGEST, Mail.NONE])
def test_a_partner_who_chose_the_digest_or_no_mail_gets_no_mail_per_comment(
    client, editor, partner_a, submission, django_capture_on_commit_callbacks, preference
):
    PartnerProfile.objects.filter(user=partner_a).update(submission_mail=preference)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        comment(client, reverse("review:comment", args=[submission.pk]), "Which schools?")

    assert SubmissionComment.objects.count() == 1
    assert mail.outbox == []


def test_the_digest_carries_the_editors_comments(
    editor, partner_a, submission, django_capture_on_commit_callbacks
):
    PartnerProfile.objects.filter(user=partner_a).update(submission_mail=Mail.DIGEST)
    transitions.add_comment(submission, editor, "Which schools?", by_editor=True)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")

    [digest] = [m for m in mail.outbox if m.to == [partner_a.email]]
    assert "Which schools?" in digest.body
    assert f"/submissions/{submission.pk}/" in digest.body


def test_a_mail_that_cannot_be_queued_never_loses_the_comment(
    client, editor, submission, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionError("the task queue is down")

    monkeypatch.setattr("workflow.notifications.queue_mail", broken)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = comment(client, reverse("review:comment", args=[submission.pk]), "Which schools?")

    assert response.status_code == 302
    assert SubmissionComment.objects.get().body == "Which schools?"


@pytest.mark.parametrize("url_name", ["review:comment", "submissions:detail"])
def test_an_empty_comment_is_refused_with_a_form_error(client, editor, partner_a, submission, url_name):
    client.force_login(editor if url_name.startswith("review") else partner_a)

    response = comment(client, reverse(url_name, args=[submission.pk]), "   ")

    assert response.status_code == 400
    assert "Write a comment first." in response.content.decode()
    assert not SubmissionComment.objects.exists()


def test_a_comment_is_plain_text(client, editor, partner_a, submission):
    client.force_login(partner_a)

    comment(client, reverse("submissions:detail", args=[submission.pk]), "<script>alert(1)</script>")

    client.force_login(editor)
    page = review_page(client, submission).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    "persona, sees, may_answer",
    [("partner_a", 200, 302), ("colleague", 200, 302), ("partner_b", 404, 404), ("editor", 404, 404)],
)
def test_the_conversation_is_for_the_partner_their_colleagues_and_on_the_review_page_the_editors(
    client_for, personas, editor, submission, persona, sees, may_answer
):
    transitions.add_comment(submission, editor, "Which schools?", by_editor=True)
    client = client_for(personas[persona])
    url = reverse("submissions:detail", args=[submission.pk])

    page = client.get(url)
    answer = comment(client, url, "An answer.")

    assert page.status_code == sees
    assert ("Which schools?" in page.content.decode()) == (sees == 200)
    assert answer.status_code == may_answer
    assert SubmissionComment.objects.filter(body="An answer.").exists() == (may_answer == 302)


def test_an_anonymous_visitor_is_sent_to_sign_in_and_comments_nothing(client, submission):
    response = comment(client, reverse("submissions:detail", args=[submission.pk]), "From outside.")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not SubmissionComment.objects.exists()


@pytest.mark.parametrize("persona, expected", [("anonymous", 302), ("partner_a", 403), ("partner_b", 403)])
def test_only_editors_comment_from_the_review_page(client_for, personas, submission, persona, expected):
    client = client_for(personas[persona])

    response = comment(client, reverse("review:comment", args=[submission.pk]), "From outside.")

    assert response.status_code == expected
    assert not SubmissionComment.objects.exists()


# --- Claims -------------------------------------------------------------------------------------


def test_the_editor_who_has_it_releases_it_for_anyone(client, editor, submission):
    transitions.claim(submission, editor)
    client.force_login(editor)
    assert f'action="/review/{submission.pk}/release/"' in review_page(client, submission).content.decode()

    response = client.post(reverse("review:release", args=[submission.pk]), follow=True)

    submission.refresh_from_db()
    assert submission.claimed_by is None
    assert "any editor can claim it" in response.content.decode()


def test_an_editor_cannot_release_another_editors_claim(client, editor, submission):
    other_editor = factories.make_editor("other-editor@example.org")
    transitions.claim(submission, other_editor)
    client.force_login(editor)

    response = client.post(reverse("review:release", args=[submission.pk]), follow=True)

    submission.refresh_from_db()
    assert submission.claimed_by == other_editor
    assert "You no longer hold this submission" in response.content.decode()


@pytest.mark.parametrize("decide", ["publish", "request_changes", "reject"])
def test_a_decision_clears_the_claim_so_a_resubmission_is_free_for_anyone(
    editor, partner_a, submission, decide
):
    transitions.claim(submission, editor)

    transitions.DECISIONS[decide](submission, editor, "A note.")

    submission.refresh_from_db()
    assert (submission.claimed_by, submission.claimed_at) == (None, None)


def test_a_resubmitted_case_is_back_in_the_queue_unclaimed(client, editor, partner_a, submission):
    transitions.claim(submission, editor)
    transitions.request_changes(submission, editor, "Add the schools.")
    transitions.submit(submission, partner_a)
    client.force_login(editor)

    queue = client.get(reverse("review:queue")).content.decode()

    row = queue.split(submission.title)[1].split("</tr>")[0]
    assert editor.email not in row


# --- Which words changed ------------------------------------------------------------------------


def test_word_diff_marks_removed_and_added_words_for_eyes_and_screen_readers():
    html = word_diff("A tutor for rural schools", "A reading tutor for schools")

    assert re.search(r'<ins><span class="visually-hidden">added: </span>\s*reading\s*</ins>', html)
    assert re.search(r'<del><span class="visually-hidden">removed: </span>\s*rural\s*</del>', html)
    assert html.startswith("A") and html.endswith("schools")
    assert html.count("<ins>") == html.count("<del>") == 1


def test_word_diff_escapes_what_it_is_given_and_keeps_line_breaks():
    html = word_diff("<b>old</b>", "<b>new</b>\nline")

    assert "<b>" not in html
    assert "&lt;b&gt;" in html
    assert "<br>" in html


def test_word_diff_compares_chinese_character_by_character():
    html = word_diff("阅读伙伴", "阅读助手")

    assert html.startswith("阅读")
    assert "伙伴</del>" in html and "助手</ins>" in html


def test_the_review_page_highlights_the_words_changed_since_the_last_review(
    client, editor, partner_a, submission
):
    transitions.request_changes(submission, editor, "Say where.")
    Initiative.objects.filter(pk=submission.pk).update(
        summary="A tutor that listens to Kenyan children read."
    )
    transitions.submit(submission, partner_a)
    client.force_login(editor)

    page = review_page(client, submission).content.decode()

    assert '<ins><span class="visually-hidden">added: </span>Kenyan </ins>' in page


# --- Additions to a published case --------------------------------------------------------------


def test_a_draft_started_from_the_additions_link_is_linked_and_editors_see_it(
    client, partner_a, editor, submission_post
):
    original = factories.make_initiative(title="AI for Safer Children", slug="ai-for-safer-children")
    client.force_login(partner_a)
    form_url = client.get(f"{reverse('submissions:create')}?additions_to={original.slug}")["Location"]

    client.post(form_url, submission_post(title="More on AI for Safer Children"))

    draft = Initiative.objects.get(title="More on AI for Safer Children")
    assert draft.additions_to == original
    transitions.submit(draft, partner_a)
    client.force_login(editor)
    page = review_page(client, draft).content.decode()
    assert f'Proposes additions to <a href="{original.get_absolute_url()}">AI for Safer Children</a>' in page
    queue = client.get(reverse("review:queue")).content.decode()
    assert "Proposes additions to" in queue


def test_a_draft_started_from_the_plain_form_proposes_no_additions(client, partner_a, submission_post):
    client.force_login(partner_a)
    form_url = client.get(reverse("submissions:create"))["Location"]

    client.post(form_url, submission_post())

    assert Initiative.objects.get(title="Reading Buddy for rural schools").additions_to is None
