"""An editor's decision while the mail server is down: it is taken and answered normally, and
the partner's mail goes out from the worker once the server is back."""

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from catalogue.models import Initiative
from tests import factories
from tests.mailqueue import mail_server_back

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue", "mail_server_down")]


def test_publishing_succeeds_while_the_mail_server_is_down(
    client, editor, partner_a, django_capture_on_commit_callbacks
):
    initiative = factories.make_submission(partner_a, status=Initiative.Status.SUBMITTED)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:detail", kwargs={"pk": initiative.pk}), {"decision": "publish"}
        )

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED
    assert DBTaskResult.objects.ready().count() == 1


def test_the_partner_is_told_of_the_publication_when_the_mail_server_is_back(
    client, editor, partner_a, django_capture_on_commit_callbacks, run_worker, settings
):
    initiative = factories.make_submission(partner_a, status=Initiative.Status.SUBMITTED)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:detail", kwargs={"pk": initiative.pk}), {"decision": "publish"})

    run_worker()
    assert mail.outbox == []
    mail_server_back(settings)
    run_worker(after_retry_delays=True)

    assert [message.to for message in mail.outbox] == [[partner_a.email]]
    assert "published" in mail.outbox[0].subject.lower()
