"""A database that refuses connections: every request is a 503 with Retry-After (a page, or
JSON under /api/), logged in one line, never a 500 with a traceback.

The outage is caused here by making every new cursor fail as a refused connection does (the
driver's own OperationalError, wrapped by Django); tests/operations/test_live_outage.py stops
a real PostgreSQL server under a running gunicorn.
"""

import logging
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client

from tests import factories


@pytest.fixture
def database_down(db):
    """Every query fails as it does when the server is gone (until the test ends, before the
    test database is cleaned up)."""

    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection to server failed: Connection refused")

    with mock.patch.object(connection, "create_cursor", refuse):
        yield


@pytest.fixture
def lenient_client():
    """A client that returns the server's answer to a crash instead of raising it."""
    return Client(raise_request_exception=False)


def database_errors_logged(caplog):
    return [record for record in caplog.records if "database unavailable" in record.getMessage()]


@pytest.mark.parametrize("path", ["/", "/initiatives/", "/initiatives/?q=reading", "/organisations/"])
def test_a_page_answers_503_with_retry_after_when_the_database_is_down(database_down, lenient_client, path):
    response = lenient_client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "Casebook is briefly unavailable" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_the_outage_page_is_translated(database_down, lenient_client):
    response = lenient_client.get("/initiatives/", headers={"accept-language": "zh-hans"})

    assert response.status_code == 503
    assert "Casebook 暂时无法访问" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/initiatives/", "/api/v1/sectors/", "/api/v1/initiatives/a-slug/"])
def test_the_api_answers_json_503_when_the_database_is_down(database_down, lenient_client, path):
    response = lenient_client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "The catalogue is briefly unavailable. Please try again in a few seconds."
    }


def test_a_token_post_answers_json_503_when_the_database_is_down(database_down, lenient_client):
    response = lenient_client.post(
        "/api/v1/submissions/",
        data={"title": "x"},
        content_type="application/json",
        headers={"authorization": "Token 0123456789abcdef0123456789abcdef01234567"},
    )

    assert response.status_code == 503
    assert "detail" in response.json()


def test_a_failure_is_logged_in_one_line_without_a_traceback(database_down, lenient_client, caplog):
    caplog.set_level(logging.INFO)

    lenient_client.get("/initiatives/")
    lenient_client.get("/api/v1/initiatives/")

    assert len(database_errors_logged(caplog)) == 2
    assert [record for record in caplog.records if record.exc_info] == []


def test_a_failure_while_the_session_middleware_saves_is_a_503(db, settings, monkeypatch, lenient_client):
    """The session is saved by its middleware after the view: Django turns a failure there
    into a response before any outer middleware could see it, so the 500 handler answers."""
    lenient_client.force_login(factories.make_partner("reader@example.org", confirmed=True))
    settings.SESSION_SAVE_EVERY_REQUEST = True

    def refuse(self, must_create=False):
        # The driver's error, turned into Django's OperationalError as a query would be.
        with connection.wrap_database_errors:
            raise connection.Database.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "save", refuse)

    response = lenient_client.get("/api/v1/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "detail" in response.json()


def test_a_database_error_counts_as_an_outage_only_when_the_connection_is_gone(db):
    from django.db import DatabaseError

    from casebook.errors import is_database_unavailable

    error = DatabaseError("SSL SYSCALL error: EOF detected")
    assert not is_database_unavailable(error)  # e.g. a bad query on a live connection

    gone = mock.Mock(closed=2)  # psycopg's "broken" state
    with mock.patch.object(connection, "connection", gone):
        assert is_database_unavailable(error)


def test_a_failure_while_a_lazy_response_is_rendered_is_a_503(db, settings, lenient_client):
    """A TemplateResponse is rendered after the view returned; its queries run then."""
    from django.template.response import TemplateResponse
    from django.urls import path

    from catalogue.models import Initiative

    def lazy(request):
        return TemplateResponse(request, "503.html", {"detail": Initiative.objects.all(), "retry_after": 1})

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("lazy/", lazy)]})

    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("Connection refused")

    with mock.patch.object(connection, "create_cursor", refuse):
        response = lenient_client.get("/lazy/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
