"""The catalogue's background tasks (run by `manage.py worker`)."""

from django.conf import settings
from django.db import connection, transaction
from django.tasks import task

from .bulk import write_downloads


@task()
def regenerate_downloads():
    """Write /downloads/ for the current data version (nothing to do if it is already)."""
    return write_downloads()


def schedule_downloads():
    """After this transaction commits, have the worker rewrite /downloads/: once per
    transaction however many changes it holds."""
    if not settings.DOWNLOADS_AUTO_REGENERATE or getattr(connection, "_downloads_scheduled", False):
        return
    connection._downloads_scheduled = True

    def enqueue():
        connection._downloads_scheduled = False
        regenerate_downloads.enqueue()

    transaction.on_commit(enqueue, robust=True)
