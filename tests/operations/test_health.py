"""/healthz says the process answers; /readyz says whether it can serve (database, migrations,
and whatever else READINESS_CHECKS lists), for a load balancer."""

from unittest import mock

import pytest
from django.db import connection

from casebook import health


@pytest.fixture(autouse=True)
def forget_migration_check():
    health._migrations_applied = False
    yield
    health._migrations_applied = False


def test_healthz_answers_without_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_answers_200_when_the_database_is_reachable_and_migrated(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": {"ok": True}, "migrations": {"ok": True}, "mail_worker": {"ok": True}},
    }
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_answers_503_naming_the_database_when_it_is_down(client):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("Connection refused")

    with mock.patch.object(connection, "create_cursor", refuse):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == {"ok": False, "detail": "OperationalError"}


@pytest.mark.django_db
def test_readyz_answers_503_while_a_migration_is_not_applied(client):
    unapplied = [("catalogue.0099_new", False)]
    with mock.patch("django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=unapplied):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "detail": "1 migration(s) not applied"}


@pytest.mark.django_db
def test_readyz_runs_every_check_in_the_list(client, monkeypatch):
    def mail_worker():
        raise health.CheckFailed("no heartbeat for 120 s")

    monkeypatch.setattr(health, "READINESS_CHECKS", [*health.READINESS_CHECKS, mail_worker])

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["mail_worker"] == {"ok": False, "detail": "no heartbeat for 120 s"}
    assert response.json()["checks"]["database"] == {"ok": True}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_pass_with_the_servers_address_over_plain_http_in_production(client, settings, path):
    """A load balancer probes http://10.0.0.5:8000/healthz: no HTTPS redirect, no 400 for the host."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["casebook.example.org"]

    response = client.get(path, headers={"host": "10.0.0.5:8000"})

    assert response.status_code == 200


@pytest.mark.django_db
def test_probes_are_never_throttled(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}

    statuses = {client.get("/readyz").status_code for _ in range(5)}

    assert statuses == {200}


@pytest.mark.django_db
def test_probes_are_not_served_from_the_page_cache(client):
    client.get("/readyz")

    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("Connection refused")

    with mock.patch.object(connection, "create_cursor", refuse):
        assert client.get("/readyz").status_code == 503


@pytest.mark.django_db
def test_readyz_answers_503_while_no_mail_worker_runs(client, database_queue):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["mail_worker"]["ok"] is False
    assert "no worker has run" in response.json()["checks"]["mail_worker"]["detail"]
    assert response.json()["checks"]["database"] == {"ok": True}
