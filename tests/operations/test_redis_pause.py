"""A Redis that stops answering costs a worker one timeout every few seconds, not one per cache
read; once the pause is over the cache is used again (casebook/redis_pause.py)."""

import io
import logging
import socket
import threading
import time
import uuid

import pytest
from django.test import Client

from casebook import redis_pause
from casebook.settings import cache_from_url
from tests import factories

PATHS = ["/initiatives/snow-leopard-counts/", "/initiatives/", "/api/v1/initiatives/snow-leopard-counts/"]


@pytest.fixture(autouse=True)
def no_pauses():
    redis_pause.resume_all()
    yield
    redis_pause.resume_all()


@pytest.fixture
def unanswering_redis():
    """A TCP server that accepts connections and never answers, as a stuck Redis or one behind
    a network partition does. Yields its port and the list of connections it accepted."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.1)
    accepted, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def use_redis(settings, port):
    prefix = f"casebook-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {**cache_from_url(f"redis://127.0.0.1:{port}/0"), "KEY_PREFIX": prefix},
    }


def timed_get(path):
    started = time.monotonic()
    response = Client().get(path)
    return response, time.monotonic() - started


def test_after_redis_fails_to_answer_pages_are_served_without_waiting_for_it(db, settings, unanswering_redis):
    port, accepted = unanswering_redis
    use_redis(settings, port)
    factories.make_initiative(slug="snow-leopard-counts", title="Snow leopard counts")

    first, first_seconds = timed_get(PATHS[0])
    assert first.status_code == 200
    assert first_seconds >= 1  # the read's socket timeout (SOCKET_TIMEOUT): Redis was tried
    tried = len(accepted)

    for path in PATHS:
        response, seconds = timed_get(path)
        assert response.status_code == 200, path
        assert seconds < 0.9, path  # no read waited for the 1 s timeout
    assert len(accepted) == tried  # nothing connected to Redis during the pause


def test_after_the_pause_the_cache_is_used_again(db, settings):
    use_redis(settings, 6379)
    factories.make_initiative(slug="snow-leopard-counts", title="Snow leopard counts")
    Client().get(PATHS[0])
    assert Client().get(PATHS[0])["X-Cache"] == "hit"

    redis_pause.pause(("127.0.0.1", 6379), seconds=0.5)
    paused = Client().get(PATHS[0])
    time.sleep(0.6)
    after = Client().get(PATHS[0])

    assert (paused.status_code, paused["X-Cache"]) == (200, "miss")
    assert (after.status_code, after["X-Cache"]) == (200, "hit")


@pytest.fixture
def console_log():
    """What the site's console handler (settings.LOGGING, the log an operator reads) prints."""
    handler = next(handler for handler in logging.getLogger().handlers if handler.name == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_an_outage_is_logged_once_per_pause_not_once_per_read(db, settings, unanswering_redis, console_log):
    use_redis(settings, unanswering_redis[0])
    factories.make_initiative(slug="snow-leopard-counts", title="Snow leopard counts")

    Client().get(PATHS[0])
    first = console_log.getvalue()
    for path in PATHS:
        assert Client().get(path).status_code == 200

    assert "Timeout reading from" in first  # the failure that started the pause, with its traceback
    assert console_log.getvalue() == first  # its refusals: not logged again
