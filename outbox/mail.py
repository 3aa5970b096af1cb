"""Queue a mail for the worker. Pages and the workflow call `queue_mail` instead of
`send_mail`: a mail server that is down or slow then delays the mail and fails nothing."""

import logging

from django.conf import settings
from django.db import transaction

from .tasks import deliver_mail

logger = logging.getLogger(__name__)


def queue_mail(subject, body, recipients):
    """Send the mail once the current transaction commits (at once outside one), from the
    worker: a rolled-back change sends nothing, and the request never waits on SMTP.

    `robust` keeps the answer a success if the queue cannot be written just after the commit
    (the change itself is saved); the error is logged.
    """
    message = {
        "subject": subject,
        "body": body,
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "to": list(recipients),
    }
    transaction.on_commit(lambda: deliver_mail.enqueue(message), robust=True)
