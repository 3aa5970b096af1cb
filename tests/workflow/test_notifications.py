"""Telling people what happened: editors hear of each submission and resubmission, partners
get a receipt, and each person chooses each mail, a daily digest, or none (on their profile)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from catalogue.models import Initiative, PartnerProfile
from tests import factories

Status = Initiative.Status
Mail = PartnerProfile.SubmissionMail

pytestmark = pytest.mark.django_db


def choose(user, preference):
    PartnerProfile.objects.filter(user=user).update(submission_mail=preference)


def submit(client, user, initiative, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse("submissions:submit", kwargs={"pk": initiative.pk}))


def mail_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_submitting_mails_each_editor_and_gives_the_partner_a_receipt(
    client, partner_a, editor, django_capture_on_commit_callbacks
):
    other_editor = factories.make_editor("second.editor@example.org")
    initiative = factories.make_submission(partner_a, title="Reading Buddy")

    submit(client, partner_a, initiative, django_capture_on_commit_callbacks)

    review_link = f"/review/{initiative.pk}/"
    for each in (editor, other_editor):
        [notice] = mail_to(each.email)
        assert "Reading Buddy" in notice.subject
        assert review_link in notice.body
        assert notice.to == [each.email]  # one mail each: editors do not see each other's address
    [receipt] = mail_to(partner_a.email)
    assert "Reading Buddy" in receipt.body
    assert f"/submissions/{initiative.pk}/" in receipt.body


def test_a_resubmission_after_changes_is_announced_as_one(
    client, partner_a, editor, django_capture_on_commit_callbacks
):
    initiative = factories.make_submission(partner_a, status=Status.CHANGES_REQUESTED, title="Reading Buddy")

    submit(client, partner_a, initiative, django_capture_on_commit_callbacks)

    [notice] = mail_to(editor.email)
    assert "resubmitted" in notice.subject.lower()


def test_people_who_chose_no_mail_or_a_digest_get_none_at_once(
    client, partner_a, editor, django_capture_on_commit_callbacks
):
    digest_editor = factories.make_editor("digest.editor@example.org")
    choose(editor, Mail.NONE)
    choose(digest_editor, Mail.DIGEST)
    choose(partner_a, Mail.NONE)
    initiative = factories.make_submission(partner_a)

    submit(client, partner_a, initiative, django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_the_daily_digest_lists_what_happened_since_the_last_one(
    partner_a, editor, django_capture_on_commit_callbacks
):
    choose(editor, Mail.DIGEST)
    choose(partner_a, Mail.DIGEST)
    first = factories.make_submission(partner_a, status=Status.SUBMITTED, title="Reading Buddy")
    second = factories.make_submission(partner_a, status=Status.SUBMITTED, title="Safe Chat Helper")
    factories.make_submission(partner_a, title="Still a draft")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")

    [digest] = mail_to(editor.email)
    assert f"/review/{first.pk}/" in digest.body and f"/review/{second.pk}/" in digest.body
    assert "Still a draft" not in digest.body
    [receipts] = mail_to(partner_a.email)
    assert "Reading Buddy" in receipts.body and "Safe Chat Helper" in receipts.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")
    assert mail.outbox == []  # nothing new since


def test_the_digest_skips_people_with_nothing_new_and_those_who_chose_each_mail(
    partner_a, editor, django_capture_on_commit_callbacks
):
    choose(editor, Mail.EACH)
    choose(partner_a, Mail.DIGEST)
    old = factories.make_submission(partner_a, status=Status.SUBMITTED)
    old.status_changes.update(created_at=timezone.now() - timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")

    assert mail.outbox == []


def test_a_person_chooses_their_mail_on_the_profile_page(client, partner_a):
    client.force_login(partner_a)
    page = client.get(reverse("accounts:profile"))
    assert "submission_mail" in page.content.decode()

    client.post(
        reverse("accounts:profile"),
        {"organisation": partner_a.partner_profile.organisation.name, "submission_mail": Mail.DIGEST},
    )

    partner_a.partner_profile.refresh_from_db()
    assert partner_a.partner_profile.submission_mail == Mail.DIGEST


@pytest.mark.usefixtures("database_queue", "mail_server_down")
def test_submitting_while_the_mail_server_is_down_succeeds_and_queues_the_mail(
    client, partner_a, editor, django_capture_on_commit_callbacks
):
    initiative = factories.make_submission(partner_a)

    response = submit(client, partner_a, initiative, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    assert DBTaskResult.objects.ready().count() == 2  # the editor's notice and the receipt
