"""Sign-up and password reset while the mail server is down: the page answers, the mail is
queued, and the worker sends it once the server is back."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests import factories
from tests.mailqueue import mail_server_back

pytestmark = pytest.mark.usefixtures("database_queue", "mail_server_down")

SIGN_UP = {
    "email": "new.partner@example.org",
    "first_name": "New",
    "last_name": "Partner",
    "password1": factories.PARTNER_PASSWORD,
    "password2": factories.PARTNER_PASSWORD,
    "organisation": "",
    "proposed_organisation_name": "New Partner Foundation",
    "nickname": "",
}


@pytest.mark.django_db
def test_sign_up_succeeds_while_the_mail_server_is_down(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), SIGN_UP)

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup-done")
    assert get_user_model().objects.filter(email="new.partner@example.org", is_active=False).exists()
    assert DBTaskResult.objects.ready().count() == 1


@pytest.mark.django_db
def test_the_confirmation_queued_during_an_outage_is_sent_when_the_server_is_back(
    client, django_capture_on_commit_callbacks, run_worker, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), SIGN_UP)

    run_worker()  # the server is still down: the worker's attempt fails, the mail waits
    assert mail.outbox == []
    mail_server_back(settings)
    run_worker(after_retry_delays=True)

    assert [message.to for message in mail.outbox] == [["new.partner@example.org"]]
    assert "/accounts/confirm/" in mail.outbox[0].body


@pytest.mark.django_db
def test_password_reset_succeeds_while_the_mail_server_is_down_and_mails_later(
    client, partner_a, django_capture_on_commit_callbacks, run_worker, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "a@example.org"})

    assert response.status_code == 302
    mail_server_back(settings)
    run_worker()
    assert [message.to for message in mail.outbox] == [["a@example.org"]]
    assert "/accounts/reset/" in mail.outbox[0].body
