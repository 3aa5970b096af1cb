"""Mail about submissions is written in its recipient's language: the one they signed up in,
or the one they chose on their profile, not the language of whoever caused the mail."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import Initiative, PartnerProfile
from tests import factories
from workflow import transitions

Status = Initiative.Status
Mail = PartnerProfile.SubmissionMail

pytestmark = pytest.mark.django_db


def set_language(user, language):
    PartnerProfile.objects.filter(user=user).update(language=language)


def test_the_digest_is_written_in_the_partners_language(partner_a, django_capture_on_commit_callbacks):
    PartnerProfile.objects.filter(user=partner_a).update(submission_mail=Mail.DIGEST, language="zh-hans")
    factories.make_submission(partner_a, status=Status.SUBMITTED, title="Reading Buddy")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")

    [digest] = mail.outbox
    assert "您的提交：" in digest.body
    assert "Your submissions:" not in digest.body


def test_a_decision_is_mailed_in_the_partners_language_whatever_the_editor_reads(
    partner_a, editor, django_capture_on_commit_callbacks
):
    set_language(partner_a, "zh-hans")
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED, title="Reading Buddy")

    with django_capture_on_commit_callbacks(execute=True):
        transitions.request_changes(initiative, editor, "Name the schools.")

    [message] = mail.outbox
    assert "Reading Buddy" in message.subject
    assert "An editor has reviewed" not in message.body
    assert "Name the schools." in message.body


def test_editors_hear_of_a_submission_each_in_their_own_language(
    client, partner_a, editor, django_capture_on_commit_callbacks
):
    chinese_editor = factories.make_editor("zh-editor@example.org")
    set_language(chinese_editor, "zh-hans")
    initiative = factories.make_submission(partner_a, title="Reading Buddy")
    client.force_login(partner_a)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("submissions:submit", args=[initiative.pk]))

    [english] = [m for m in mail.outbox if m.to == [editor.email]]
    [chinese] = [m for m in mail.outbox if m.to == [chinese_editor.email]]
    assert "has submitted" in english.body
    assert "has submitted" not in chinese.body


def test_signing_up_in_chinese_sets_the_mail_language(client, django_capture_on_commit_callbacks):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    data = {
        "email": "new.partner@example.org",
        "first_name": "New",
        "last_name": "Partner",
        "password1": factories.PARTNER_PASSWORD,
        "password2": factories.PARTNER_PASSWORD,
        "organisation": "",
        "proposed_organisation_name": "New Partner Foundation",
        "nickname": "",
    }

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), data)

    assert PartnerProfile.objects.get(user__email="new.partner@example.org").language == "zh-hans"


def test_a_partner_chooses_the_language_of_their_mail_on_their_profile(client, partner_a):
    client.force_login(partner_a)
    assert 'name="language"' in client.get(reverse("accounts:profile")).content.decode()

    client.post(
        reverse("accounts:profile"),
        {"organisation": "Partner A Org", "proposed_organisation_name": "", "language": "zh-hans"},
    )

    assert PartnerProfile.objects.get(user=partner_a).language == "zh-hans"
