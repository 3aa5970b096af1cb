"""Fixtures for tests of queued mail: the database queue, a worker run in the test's process,
and a mail server that is down (an SMTP port nothing listens on) or back (Django's test
outbox). Shared by tests/accounts, tests/workflow and tests/outbox."""

import socket

import pytest
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult


@pytest.fixture
def database_queue(settings):
    """Tasks are stored in the database, as in production, until `run_worker` runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.fixture
def closed_port():
    """A local TCP port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server_down(settings, closed_port):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "use_tls": False, "timeout": 2},
        }
    }


def mail_server_back(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def run_worker(monkeypatch):
    """Run `manage.py worker --batch` in this process: every task that is due, then return.
    `after_retry_delays=True` first makes the tasks waiting to be retried due now, as if
    their delay had passed.

    The worker closes its database connection between tasks when it is not in autocommit
    mode, which inside a test's transaction would end the test's (PostgreSQL) connection.
    """
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run(*, after_retry_delays=False):
        if after_retry_delays:
            DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()

    return run
