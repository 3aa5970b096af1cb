"""The mail queue: a mail the server refuses is tried again later with a growing delay, a
bounded number of times; the worker command runs the queue; `worker_status` says whether a
worker is alive and keeping up."""

import logging
import signal
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from catalogue.models import WorkerHeartbeat
from outbox.mail import queue_mail
from outbox.worker import beat, start_heartbeat, worker_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(django_capture_on_commit_callbacks, database_queue):
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail("Hello", "A body", ["partner@example.org"])


def waiting():
    return DBTaskResult.objects.filter(status="READY").get()


@pytest.mark.usefixtures("mail_server_down", "queued")
def test_a_refused_mail_is_tried_again_after_a_minute_then_two(run_worker):
    run_worker()
    first_retry = waiting()
    assert first_retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert 55 <= (first_retry.run_after - timezone.now()).total_seconds() <= 60

    run_worker()  # not due yet: nothing happens
    assert waiting() == first_retry

    run_worker(after_retry_delays=True)
    second_retry = waiting()
    assert second_retry.args_kwargs["kwargs"] == {"attempt": 3}
    assert 115 <= (second_retry.run_after - timezone.now()).total_seconds() <= 120


@pytest.mark.usefixtures("mail_server_down", "queued")
def test_after_the_last_attempt_the_mail_is_logged_once_as_not_sent(run_worker, settings, caplog):
    settings.MAIL_MAX_ATTEMPTS = 2
    run_worker()

    with caplog.at_level(logging.WARNING):
        run_worker(after_retry_delays=True)
        run_worker(after_retry_delays=True)

    assert not DBTaskResult.objects.filter(status="READY").exists()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path == "outbox.tasks.MailNotSent"
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "'Hello' to partner@example.org not sent after 2 attempts" in errors[0].exc_text


@pytest.mark.usefixtures("queued", "run_worker")  # run_worker: the test's connection stays open
def test_the_worker_command_sends_the_queued_mail():
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    assert [message.subject for message in mail.outbox] == ["Hello"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.usefixtures("queued")
def test_mail_queued_in_a_rolled_back_change_is_never_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_mail("Never", "body", ["x@example.org"])
            raise RuntimeError

    assert DBTaskResult.objects.count() == 1  # only the `queued` fixture's mail


def test_without_a_queue_there_is_no_worker_to_wait_for():
    assert worker_status() == (True, "tasks run inside the request; no worker needed")


@pytest.mark.usefixtures("database_queue")
def test_no_worker_ever_is_reported():
    ok, detail = worker_status()

    assert not ok
    assert "no worker has run" in detail


@pytest.mark.usefixtures("database_queue")
def test_a_worker_with_a_recent_heartbeat_is_alive():
    beat("w1", timezone.now())

    assert worker_status()[0]


@pytest.mark.usefixtures("database_queue")
def test_a_silent_worker_is_reported_down():
    beat("w1", timezone.now())
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=2))

    ok, detail = worker_status()

    assert not ok
    assert "no worker heartbeat for 120 s" in detail


@pytest.mark.usefixtures("queued")
def test_a_worker_that_leaves_mail_waiting_is_reported_down():
    beat("w1", timezone.now())
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))

    ok, detail = worker_status()

    assert not ok
    assert "1 task(s) waiting more than 120 s" in detail


@pytest.mark.usefixtures("mail_server_down", "queued")
def test_mail_waiting_for_its_retry_delay_is_not_overdue(run_worker):
    run_worker()
    beat("w1", timezone.now())

    assert worker_status()[0]


def test_the_worker_status_costs_two_queries(database_queue, django_assert_num_queries):
    with django_assert_num_queries(2):  # the latest heartbeat; the overdue tasks
        worker_status()


# PostgreSQL only: the heartbeat writes from its own thread, and the SQLite test database (in
# memory, shared cache) answers "table is locked" at once to a read that meets that write.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_running_worker_keeps_its_heartbeat_fresh(database_queue, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 0.05
    stop_heartbeat = start_heartbeat("live-worker")
    try:
        deadline = time.monotonic() + 5
        while not WorkerHeartbeat.objects.filter(worker_id="live-worker").exists():
            assert time.monotonic() < deadline, "no heartbeat written"
            time.sleep(0.05)
        first = WorkerHeartbeat.objects.get().seen_at
        while WorkerHeartbeat.objects.get().seen_at == first:
            assert time.monotonic() < deadline, "heartbeat not renewed"
            time.sleep(0.05)
    finally:
        stop_heartbeat()

    assert worker_status() == (True, "worker seen 0 s ago")
