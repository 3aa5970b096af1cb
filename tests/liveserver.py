"""The live test server (pytest-django's `live_server`, which the browser tests and the API's
schemathesis and generated-client tests use) answers its last requests before the test's
database is emptied.

A browser can still have a request on the server when a test ends: a page's last resource, or
the favicon. On SQLite the live server's threads share the test's in-memory connection, so the
flush that ends a transactional test fails with "database table is locked" while such a request
reads a table, and the test errors though it passed (stop 34's CI run failed so). This plugin
counts the requests the server is answering (Django's `request_started` to `request_finished`)
and, after each test that used the server, waits until there are none before the flush.
"""

import threading

import pytest
from django.core.signals import request_finished, request_started

# Far longer than any page takes; a request still running after this is a fault of its own.
WAIT_SECONDS = 30


class RequestsInFlight:
    """The threads that are answering a request now."""

    def __init__(self):
        self._threads = set()
        self._changed = threading.Condition()

    def started(self, **kwargs):
        with self._changed:
            self._threads.add(threading.get_ident())

    def finished(self, **kwargs):
        with self._changed:
            self._threads.discard(threading.get_ident())
            self._changed.notify_all()

    def others(self):
        """How many requests other threads are answering."""
        with self._changed:
            return len(self._other_threads())

    def wait_until_none(self, timeout):
        """Whether the other threads' requests all finished within `timeout` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._other_threads(), timeout)

    def _other_threads(self):
        """The test's own thread is left out: a test client's request runs in it, and one that
        raised never sends `request_finished`. (Called with the lock held.)"""
        return self._threads - {threading.get_ident()}


requests_in_flight = RequestsInFlight()
# After django.db's close_old_connections (connected when django.db was imported), so a
# request counts as finished only once it has also done with its database connection.
request_started.connect(requests_in_flight.started, dispatch_uid="tests.liveserver.started")
request_finished.connect(requests_in_flight.finished, dispatch_uid="tests.liveserver.finished")


@pytest.fixture(autouse=True)
def live_server_answers_before_the_flush(request):
    """Set up after pytest-django's own autouse fixture, which asks for `transactional_db` when a
    test uses `live_server`, so this waits before that fixture's flush."""
    yield
    if "live_server" not in request.fixturenames:
        return
    if not requests_in_flight.wait_until_none(WAIT_SECONDS):
        pytest.fail(
            f"the live server was still answering {requests_in_flight.others()} request(s) "
            f"{WAIT_SECONDS} s after the test ended",
            pytrace=False,
        )
