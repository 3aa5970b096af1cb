"""Redis connections that stop trying Redis for a few seconds once it has failed to answer.

The cache is optional: with Redis unreachable every read misses and the site answers from the
database (settings: IGNORE_EXCEPTIONS). A refused connection fails at once, but a Redis that
accepts and never answers (a network partition, a stuck server) cost every cache read its
socket timeout: at 100,000 initiatives a case page took 2 s and an API list 3 s, each read
waiting 1 s, so two workers served one request a second. After such a failure the connections
here refuse at once, in this process, for PAUSE_SECONDS; then the next command tries Redis
again. A worker so pays one timeout every PAUSE_SECONDS, not one per read.

What a pause costs is what any Redis failure costs: reads miss, and a change's new data version
is not written to Redis, so another worker may serve the previous version's pages until the
version kept there expires (catalogue/shared_version.py: at most VERSION_SECONDS).

A refusal during a pause is RedisPaused, which the log leaves out (QuietWhilePaused): an
outage is logged once per pause and worker (the failure that started it), not once per read.

Used through django-redis's CONNECTION_POOL_CLASS (casebook/settings.py).
"""

import logging
import threading
import time
from contextlib import contextmanager

from redis.connection import Connection, ConnectionPool
from redis.exceptions import ConnectionError, TimeoutError

# How long a process leaves a Redis alone after it failed to answer.
PAUSE_SECONDS = 5.0

_paused_until = {}  # (host, port) -> time.monotonic() until which it is not tried
_lock = threading.Lock()


class RedisPaused(ConnectionError):
    """Redis was not tried: it failed lately (see the module's docstring)."""


class QuietWhilePaused(logging.Filter):
    """Leaves out of the log the errors that are a pause's refusals (django-redis logs every
    error it ignores, as ConnectionInterrupted raised from the connection's error)."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        for _ in range(3):  # the error, what it was raised from, and that one's
            if error is None:
                return True
            if isinstance(error, RedisPaused):
                return False
            error = error.__cause__ or error.__context__
        return True


def pause(address, seconds=None):
    with _lock:
        _paused_until[address] = time.monotonic() + (PAUSE_SECONDS if seconds is None else seconds)


def is_paused(address):
    return time.monotonic() < _paused_until.get(address, 0.0)


def resume_all():
    """Forget every pause (for tests)."""
    with _lock:
        _paused_until.clear()


class PausingConnection(Connection):
    """A Redis connection that refuses at once while its server is paused, and pauses it when
    it times out or loses the connection."""

    @property
    def _address(self):
        return (self.host, self.port)

    @contextmanager
    def _pausing_on_failure(self):
        if is_paused(self._address):
            raise RedisPaused(f"Redis at {self.host}:{self.port} failed lately: not tried for a few seconds")
        try:
            yield
        except (ConnectionError, TimeoutError):
            pause(self._address)
            raise

    def connect_check_health(self, *args, **kwargs):
        with self._pausing_on_failure():
            return super().connect_check_health(*args, **kwargs)

    def send_packed_command(self, *args, **kwargs):
        with self._pausing_on_failure():
            return super().send_packed_command(*args, **kwargs)

    def read_response(self, *args, **kwargs):
        with self._pausing_on_failure():
            return super().read_response(*args, **kwargs)


class PausingConnectionPool(ConnectionPool):
    """A connection pool of PausingConnection (a `rediss://` or `unix://` URL names its own
    connection class, and is left as redis-py makes it)."""

    def __init__(self, connection_class=PausingConnection, **kwargs):
        super().__init__(connection_class=connection_class, **kwargs)
