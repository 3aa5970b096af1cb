"""`manage.py worker`: django-tasks-db's `db_worker`, plus a heartbeat for the health check."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from outbox.worker import start_heartbeat


class Command(db_worker.Command):
    help = "Run the background worker (queued mail): django-tasks-db's db_worker with a heartbeat."

    def handle(self, *args, **options):
        # With --reload (the default under DEBUG) the first process only watches files and
        # restarts a child that does the work; only the working process beats. A --batch run
        # ends when the queue is empty, so it is no sign of a running worker.
        reloading_parent = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not options["batch"] and not reloading_parent:
            start_heartbeat(options["worker_id"])
        super().handle(*args, **options)
