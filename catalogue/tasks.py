"""The catalogue's background tasks (run by `manage.py worker`)."""

from django.conf import settings
from django.db import connection, transaction
from django.tasks import task

from .bulk import write_downloads


@task()
def regenerate_downloads():
    """Write /downloads/ for the current data version (nothing to do if it is already)."""
    return write_downloads()


def _enqueue_regeneration():
    regenerate_downloads.enqueue()


def schedule_downloads():
    """After this transaction commits, have the worker rewrite /downloads/: once per
    transaction however many changes it holds (and not at all if it rolls back)."""
    if not settings.DOWNLOADS_AUTO_REGENERATE:
        return
    if any(callback is _enqueue_regeneration for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_regeneration, robust=True)
