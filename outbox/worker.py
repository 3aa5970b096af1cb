"""Is the worker alive? Its heartbeat, and `worker_status()` for the readiness check."""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import Max, Q
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from catalogue.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat(worker_id, started_at):
    """Record that this worker is alive now, and forget workers gone for a day."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": now,
        },
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def start_heartbeat(worker_id):
    """Beat every WORKER_HEARTBEAT_SECONDS from a daemon thread, which ends with the worker
    (or when the returned function is called). While the database is down, log it once and
    keep trying."""
    started_at = timezone.now()
    stop = threading.Event()

    def run():
        failing = False
        while not stop.is_set():
            try:
                close_old_connections()
                beat(worker_id, started_at)
                if failing:
                    logger.warning("Worker heartbeat written again")
                failing = False
            except DatabaseError as error:
                if not failing:
                    logger.warning("Worker heartbeat not written: %s", error)
                failing = True
            finally:
                connection.close()
            stop.wait(settings.WORKER_HEARTBEAT_SECONDS)

    thread = threading.Thread(target=run, name="worker-heartbeat", daemon=True)
    thread.start()

    def stop_heartbeat():
        stop.set()
        thread.join()

    return stop_heartbeat


def worker_status():
    """(ok, detail): whether queued tasks (mail) are being run. Not ok when no worker wrote
    its heartbeat in the last 4 beats, or when a task has waited more than WORKER_MAX_DELAY
    seconds past its time; always ok when tasks run inside the request (immediate backend).
    Two queries."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return True, "tasks run inside the request; no worker needed"
    now = timezone.now()
    try:
        seen_at = WorkerHeartbeat.objects.aggregate(seen_at=Max("seen_at"))["seen_at"]
        late = now - timedelta(seconds=settings.WORKER_MAX_DELAY)
        overdue = (
            DBTaskResult.objects.ready()
            .filter(Q(run_after=get_date_max(), enqueued_at__lt=late) | Q(run_after__lt=late))
            .count()
        )
    except DatabaseError as error:
        # The class only: /readyz shows this, and a message may name hosts or users.
        return False, f"cannot read the task queue ({type(error).__name__})"
    if seen_at is None:
        return False, "no worker has run (start it with `manage.py worker`)"
    silent = (now - seen_at).total_seconds()
    if silent > 4 * settings.WORKER_HEARTBEAT_SECONDS:
        return False, f"no worker heartbeat for {silent:.0f} s"
    if overdue:
        return False, f"{overdue} task(s) waiting more than {settings.WORKER_MAX_DELAY} s"
    return True, f"worker seen {silent:.0f} s ago"
