"""The outage caused for real: Casebook under gunicorn (production settings) on a PostgreSQL
cluster of its own; the cluster is stopped, pages and the API answer 503 with Retry-After and
the log has no traceback; it is started again and they answer 200.

Needs Debian's PostgreSQL cluster tools and the right to run them (root or postgres); the
cluster is OUTAGE_CLUSTER (`version/name:port`, default `15/ops:5499`), created if missing.
Never the shared server: only this cluster is ever stopped.
"""

import contextlib
import os
import time
import urllib.error
import urllib.request
import uuid

import pytest

from bench import servers
from catalogue import shared_version
from tests.browser.conftest import running_in_ci

CLUSTER = servers.Cluster.from_spec(os.environ.get("OUTAGE_CLUSTER", "15/ops:5499"))


@pytest.fixture(scope="module", autouse=True)
def cluster_tools():
    """Locally, a machine without Debian's cluster tools skips this test with the reason; in CI
    (which has them) their absence is an error, as a missing browser is."""
    if CLUSTER.available() and (os.geteuid() == 0 or os.environ.get("USER") == "postgres"):
        return
    message = (
        "needs pg_createcluster/pg_ctlcluster, the cluster's PostgreSQL version and the right to run them"
    )
    if running_in_ci():
        pytest.fail(message + " (CI must run the outage test)")
    pytest.skip(message)


PAGES = ["/", "/initiatives/", "/initiatives/?q=reading", "/organisations/"]
API = ["/api/v1/initiatives/", "/api/v1/sectors/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    cluster = CLUSTER
    cluster.ensure()
    cluster.create_database("casebook_outage_test")
    env = servers.production_env(cluster.url("casebook_outage_test"), CACHE_URL="locmem://")
    servers.prepare(env)
    with serving(cluster, env, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log") as running:
        yield running


@contextlib.contextmanager
def serving(cluster, env, log):
    """gunicorn with `env` while the test runs: (cluster, base URL, log); the cluster is
    started again afterwards, whatever the test left it in."""
    process, base = servers.start_gunicorn(env, log)
    try:
        yield cluster, base, log
    finally:
        servers.stop_process(process)
        cluster.start()


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_pages_and_api_answer_503_while_the_database_is_stopped_then_200(site):
    cluster, base, log = site
    assert {servers.status_of(base + path)[0] for path in PAGES + API} == {200}

    cluster.stop()
    try:
        during = {path: servers.status_of(base + path) for path in PAGES + API for _ in range(2)}
        readiness = servers.status_of(base + "/readyz")[0]
        liveness = servers.status_of(base + "/healthz")[0]
    finally:
        cluster.start()

    assert set(during.values()) == {(503, "5")}
    assert (readiness, liveness) == (503, 200)
    text = log.read_text()
    assert "Traceback" not in text
    assert '"path": "/api/v1/initiatives/", "status": 503' in text
    assert '"error": "database unavailable (OperationalError' in text
    # Back by itself once the database is: no restart of the site.
    assert wait_for(lambda: {servers.status_of(base + path)[0] for path in PAGES + API} == {200})


@pytest.fixture(scope="module")
def site_with_redis(site, tmp_path_factory):
    """The same site with production's cache: Redis, under a key prefix of its own."""
    cluster = site[0]
    env = servers.production_env(
        cluster.url("casebook_outage_test"),
        CACHE_URL=os.environ.get("OUTAGE_REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_KEY_PREFIX=f"casebook-outage-test-{uuid.uuid4().hex}",
        API_ANON_RATE="10000/minute",  # the test polls faster than a reader
    )
    with serving(cluster, env, tmp_path_factory.mktemp("gunicorn") / "gunicorn-redis.log") as running:
        yield running


def answer(url):
    """(status, X-Cache, Retry-After) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (http on loopback)
            response.read()
            headers = response.headers
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        headers, status = error.headers, error.code
    return status, headers.get("X-Cache"), headers.get("Retry-After")


def test_with_redis_an_outage_answers_from_the_cache_or_503_until_the_version_expires(site_with_redis):
    """With Redis, a hit reads no database: answers cached before the outage may still be
    served (nothing can change while the database is down), until the data version kept in
    Redis expires (VERSION_SECONDS); from then on everything is the outage's 503, never a 500."""
    cluster, base, log = site_with_redis
    for path in PAGES + API:
        assert answer(base + path)[0] == 200
        assert answer(base + path)[:2] == (200, "hit")

    cluster.stop()
    stopped_at = time.monotonic()
    during = []
    try:
        while time.monotonic() - stopped_at < shared_version.VERSION_SECONDS + 3:
            during += [answer(base + path) for path in PAGES + API]
            time.sleep(0.2)
        after_expiry = [answer(base + path) for path in PAGES + API]
    finally:
        cluster.start()

    assert set(during) <= {(200, "hit", None), (503, None, "5")}
    assert set(after_expiry) == {(503, None, "5")}
    assert "Traceback" not in log.read_text()
    assert wait_for(lambda: {answer(base + path)[0] for path in PAGES + API} == {200})
