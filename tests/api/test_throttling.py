"""The API rate limit: one count per client shared by every worker, a client is its connection's
address (a forged X-Forwarded-For changes nothing) or, with an API token, its account, which has
a rate of its own."""

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from tests import factories

PROJECT = Path(__file__).resolve().parents[2]
SECTORS = "/api/v1/sectors/"


def rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


@pytest.mark.django_db
def test_a_different_forged_forwarded_for_on_each_request_is_still_one_client(client, settings):
    rates(settings, anon="2/hour")

    statuses = [client.get(SECTORS, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)]

    assert statuses == [200, 200, 429, 429]


@pytest.mark.django_db
def test_behind_one_trusted_proxy_the_client_is_the_address_it_saw(client, settings):
    rates(settings, anon="2/hour")
    settings.TRUSTED_PROXIES = 1

    # The proxy appends the address it saw; whatever the client wrote before it is ignored.
    forged = [
        client.get(SECTORS, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.1").status_code for n in range(3)
    ]
    other = client.get(SECTORS, HTTP_X_FORWARDED_FOR="10.0.0.9, 198.51.100.2").status_code

    assert forged == [200, 200, 429]
    assert other == 200


@pytest.mark.django_db
def test_token_clients_have_their_own_limit_per_account(client, settings, partner_a, partner_b):
    rates(settings, anon="2/hour", token="3/hour")
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Token {factories.make_api_token(partner_a)}")
    second.credentials(HTTP_AUTHORIZATION=f"Bearer {factories.make_api_token(partner_b)}")

    anonymous = [client.get(SECTORS).status_code for _ in range(3)]
    with_token = [first.get("/api/v1/submissions/").status_code for _ in range(4)]

    # Same address as the throttled anonymous client, yet counted by account, at its own rate.
    assert anonymous == [200, 200, 429]
    assert with_token == [200, 200, 200, 429]
    assert second.get("/api/v1/submissions/").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_on_separate_connections_lose_no_count(settings):
    """Each thread has its own database connection and cache object, as workers do."""
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "casebook.cache.DatabaseCache", "LOCATION": "casebook_shared_cache"},
    }
    call_command("createcachetable", verbosity=0)  # the tests' migrate ran with a memory cache
    caches["shared"].clear()
    start = threading.Barrier(8, timeout=30)

    def increment(_):
        start.wait()
        try:
            counts = []
            for _ in range(10):
                try:
                    counts.append(caches["shared"].incr("hits"))
                except ValueError:
                    counts.append(1 if caches["shared"].add("hits", 1) else caches["shared"].incr("hits"))
            return counts
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        counts = sorted(n for result in pool.map(increment, range(8)) for n in result)

    assert counts == list(range(1, 81))
    caches["shared"].clear()


# --- Two server processes, as two gunicorn workers ------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """Two `runserver` processes on one SQLite database (with the default, database-backed
    shared cache), at 10 anonymous requests an hour: a fixed window of an hour, so that a test's
    requests do not straddle two windows (a minute's did, on a busy machine)."""
    database = tmp_path_factory.mktemp("workers") / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "API_ANON_RATE": "10/hour",
        "CACHE_URL": "locmem://",
        "DEBUG": "true",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True)
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}{SECTORS}")
        yield [f"http://127.0.0.1:{port}" for port in ports], database
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)


def wait_for(url):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2, headers={"X-Probe": "1"})
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


@pytest.fixture
def workers(two_workers):
    """The two workers' addresses, with no requests counted yet."""
    addresses, database = two_workers
    with sqlite3.connect(database) as db:
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'casebook_shared_cache'").fetchone():
            db.execute("DELETE FROM casebook_shared_cache")
    return addresses


def test_two_workers_share_one_count(workers):
    statuses = [requests.get(workers[n % 2] + SECTORS, timeout=10).status_code for n in range(20)]

    assert statuses.count(200) == 10
    assert statuses[10:] == [429] * 10


def test_two_workers_hit_at_once_let_through_exactly_the_rate(workers):
    start = threading.Barrier(30, timeout=30)

    def hit(n):
        start.wait()
        return requests.get(workers[n % 2] + SECTORS, timeout=30).status_code

    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(hit, range(30)))

    assert sorted(statuses) == [200] * 10 + [429] * 20


def test_a_forged_forwarded_for_header_is_ignored_by_every_worker(workers):
    statuses = [
        requests.get(
            workers[n % 2] + SECTORS, headers={"X-Forwarded-For": f"10.1.{n}.1"}, timeout=10
        ).status_code
        for n in range(12)
    ]

    assert statuses == [200] * 10 + [429] * 2


@pytest.mark.django_db
def test_without_a_token_rate_token_clients_get_the_anonymous_rate_by_account(settings, partner_a):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/hour"}}
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {factories.make_api_token(partner_a)}")

    assert [api.get("/api/v1/submissions/").status_code for _ in range(3)] == [200, 200, 429]
