"""Links in mail point at the site that sent them: SITE_URL when it is set (production), else
the address the request that caused the mail came to (development, a preview host)."""

import pytest
from django.core import mail
from django.urls import reverse

from catalogue.models import Initiative
from tests import factories
from tests.test_settings import PRODUCTION_ENV, manage

Status = Initiative.Status


@pytest.mark.django_db
def test_a_decision_mail_links_to_the_host_the_editor_used(
    client, editor, partner_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["review.example.net"]
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("review:detail", kwargs={"pk": initiative.pk}),
            {"decision": "reject", "note": "Out of scope."},
            HTTP_HOST="review.example.net",
        )

    link = f"http://review.example.net/submissions/{initiative.pk}/"
    assert link in mail.outbox[0].body
    assert "127.0.0.1" not in mail.outbox[0].body


@pytest.mark.django_db
def test_a_configured_site_url_wins_over_the_request(
    client, editor, partner_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://casebook.example.org"
    settings.ALLOWED_HOSTS = ["review.example.net"]
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("review:detail", kwargs={"pk": initiative.pk}),
            {"decision": "reject", "note": "Out of scope."},
            HTTP_HOST="review.example.net",
        )

    assert f"https://casebook.example.org/submissions/{initiative.pk}/" in mail.outbox[0].body


def test_check_deploy_warns_when_site_url_is_not_set():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SITE_URL"}
    result = manage("check", "--deploy", env={**env, "SITE_URL": ""})

    assert "SITE_URL" in result.stderr + result.stdout
