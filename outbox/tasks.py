"""The worker's tasks."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The mail server refused or could not be reached on every attempt."""


def retry_delay(attempt):
    """Seconds to wait after the `attempt`-th failure: 1, 2, 4… minutes, at most an hour."""
    return min(settings.MAIL_RETRY_DELAY * 2 ** (attempt - 1), settings.MAIL_RETRY_MAX_DELAY)


@task()
def deliver_mail(message, attempt=1):
    """Send one queued mail. While the server is unreachable or refuses it, queue it again
    with a growing delay; after MAIL_MAX_ATTEMPTS, fail (one error in the log, and the task
    is stored as failed)."""
    try:
        EmailMessage(message["subject"], message["body"], message["from_email"], message["to"]).send()
        return {"sent": True, "attempt": attempt}
    except (OSError, smtplib.SMTPException) as error:
        # OSError: refused connection, timeout, unknown host; SMTPException: the server said no.
        to, subject = ", ".join(message["to"]), message["subject"]
        if attempt >= settings.MAIL_MAX_ATTEMPTS or not deliver_mail.get_backend().supports_defer:
            failure = f"Mail {subject!r} to {to} not sent after {attempt} attempts: {error}"
            raise MailNotSent(failure) from error
        delay = retry_delay(attempt)
        later = deliver_mail.using(run_after=timezone.now() + timedelta(seconds=delay))
        later.enqueue(message, attempt=attempt + 1)
        logger.warning(
            "Mail %r to %s not sent (attempt %d of %d: %s); trying again in %d s",
            subject,
            to,
            attempt,
            settings.MAIL_MAX_ATTEMPTS,
            error,
            delay,
        )
        return {"sent": False, "attempt": attempt, "retry_in": delay}
