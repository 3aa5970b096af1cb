"""One JSON line per request (method, path, status, duration, request id), the id returned as
X-Request-ID and carried by the errors the request logged; no secrets in the log."""

import json
import logging
from unittest import mock

import pytest
from django.db import connection
from django.test import Client


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="casebook.request")

    def lines():
        records = [record for record in caplog.records if record.name == "casebook.request"]
        return [json.loads(record.getMessage()) for record in records]

    return lines


@pytest.mark.django_db
def test_each_request_is_logged_in_one_line_with_its_id(client, request_lines):
    response = client.get("/initiatives/")

    [line] = request_lines()
    assert line["method"] == "GET"
    assert line["path"] == "/initiatives/"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32


def test_the_line_says_whether_the_answer_came_from_the_cache(client, shipped_catalogue, request_lines):
    """Operators read the hit rate from the log (and bench/run does, without an access log)."""
    client.get("/initiatives/")
    client.get("/initiatives/")
    client.get("/downloads/")  # a page the cache does not keep

    assert [line.get("cache") for line in request_lines()] == ["miss", "hit", None]


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_when_its_header_is_trusted(client, settings, request_lines):
    settings.REQUEST_ID_HEADER = "X-Request-ID"

    response = client.get("/initiatives/", headers={"x-request-id": "lb-7f3a-42"})

    assert response["X-Request-ID"] == "lb-7f3a-42"
    assert request_lines()[0]["request_id"] == "lb-7f3a-42"


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["lb-7f3a-42", "bad id\nwith a newline", "x" * 500])
def test_a_request_id_from_an_untrusted_or_malformed_header_is_replaced(client, settings, sent):
    settings.REQUEST_ID_HEADER = "X-Request-ID" if sent != "lb-7f3a-42" else ""

    response = client.get("/healthz", headers={"x-request-id": sent})

    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_a_database_outage_is_one_line_saying_why(request_lines):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("Connection refused")

    with mock.patch.object(connection, "create_cursor", refuse):
        response = Client(raise_request_exception=False).get("/initiatives/")

    [line] = request_lines()
    assert line["status"] == 503
    assert line["error"] == "database unavailable (OperationalError: Connection refused)"
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_secret_query_values_cookies_and_headers_are_not_logged(client, request_lines, caplog):
    client.cookies["sessionid"] = "cookie-secret-value"
    client.get(
        "/api/v1/initiatives/?sector=education&token=query-secret&password=hunter2",
        headers={"authorization": "Token header-secret-value"},
    )

    [line] = request_lines()
    assert line["query"] == "sector=education&token=%5Bredacted%5D&password=%5Bredacted%5D"
    for secret in ("query-secret", "hunter2", "cookie-secret-value", "header-secret-value"):
        assert secret not in caplog.text


@pytest.mark.django_db
def test_the_token_of_a_password_reset_link_is_not_logged(client, request_lines, caplog):
    client.get("/accounts/reset/MQ/d2mo9k-0123456789abcdef0123456789abcdef/")

    [line] = request_lines()
    assert line["path"] == "/accounts/reset/[redacted]/[redacted]/"
    assert "0123456789abcdef" not in caplog.text


@pytest.mark.django_db
def test_successful_health_probes_are_not_logged(client, request_lines):
    client.get("/healthz")
    client.get("/readyz")

    assert request_lines() == []
