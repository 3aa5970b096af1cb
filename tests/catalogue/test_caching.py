"""The public pages and the API's reads are answered from the cache when nothing a reader can
see has changed, and never stale, never someone else's (catalogue/caching.py)."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path as route

from casebook.settings import cache_from_url
from catalogue import caching, dataset
from catalogue.models import Initiative
from tests import factories
from workflow import transitions

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def queries_of(client, path, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **kwargs)
    return response, len(queries)


@pytest.fixture
def case():
    return factories.make_initiative(slug="snow-leopard-counts", title="Snow leopard counts")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/initiatives/",
        "/initiatives/?ordering=newest&page=1",
        "/initiatives/snow-leopard-counts/",
        "/organisations/",
        "/api/v1/initiatives/",
        "/api/v1/initiatives/snow-leopard-counts/",
        "/api/v1/initiatives/?facets=sector,country",
    ],
)
def test_a_repeated_anonymous_read_costs_one_query_and_gives_the_same_answer(client, case, path):
    first, first_queries = queries_of(client, path)
    second, second_queries = queries_of(Client(), path)

    assert first.status_code == second.status_code == 200
    assert first_queries > 1
    assert second_queries == 1  # the data version
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second.get("ETag") == first.get("ETag")


PAGES = ["/", "/initiatives/", "/initiatives/snow-leopard-counts/", "/organisations/", "/sectors/"]
# Headers each answer has of its own.
PER_ANSWER = {"X-Cache", "X-Request-ID"}


@pytest.mark.parametrize("path", PAGES)
def test_a_page_from_the_cache_is_answered_before_the_language_the_session_and_the_user(case, path):
    """A stored page needs no language middleware, session, CSRF check, user or view: it is
    answered before them (catalogue.caching.PublicCacheMiddleware), which is most of what a
    cached page cost."""
    first, second = Client().get(path), Client().get(path)

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert all(hasattr(first.wsgi_request, name) for name in ("LANGUAGE_CODE", "session", "user"))
    assert not hasattr(second.wsgi_request, "LANGUAGE_CODE")
    assert not hasattr(second.wsgi_request, "session")
    assert not hasattr(second.wsgi_request, "user")


@pytest.mark.parametrize("path", PAGES)
def test_a_page_from_the_cache_has_every_header_of_the_page_rendered(case, path):
    first, second = Client().get(path), Client().get(path)

    def headers(response):
        return {name: value for name, value in response.items() if name not in PER_ANSWER}

    assert second["X-Cache"] == "hit"
    assert headers(second) == headers(first)
    for name in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Referrer-Policy"):
        assert second.has_header(name)


def test_a_publish_and_an_unpublish_show_at_once(client, case, editor):
    draft = factories.make_initiative(
        slug="river-blindness-screening",
        title="River blindness screening",
        status=Initiative.Status.SUBMITTED,
    )
    assert "River blindness screening" not in client.get("/initiatives/").content.decode()
    assert client.get("/api/v1/initiatives/river-blindness-screening/").status_code == 404

    transitions.publish(draft, editor)
    assert "River blindness screening" in client.get("/initiatives/").content.decode()
    assert client.get("/api/v1/initiatives/river-blindness-screening/").status_code == 200

    assert client.get("/initiatives/snow-leopard-counts/").status_code == 200
    transitions.archive(case, editor)
    assert "Snow leopard counts" not in client.get("/initiatives/").content.decode()
    assert client.get("/initiatives/snow-leopard-counts/").status_code == 404
    assert client.get("/api/v1/initiatives/snow-leopard-counts/").status_code == 404


def test_an_editors_change_shows_at_once(client, case):
    client.get("/initiatives/snow-leopard-counts/")
    case.title = "Snow leopard counts in the Pamirs"
    case.save()
    assert (
        "Snow leopard counts in the Pamirs"
        in client.get("/initiatives/snow-leopard-counts/").content.decode()
    )


def test_a_signed_in_reader_never_gets_or_leaves_a_cached_page(client, case, editor):
    anonymous_page = client.get("/initiatives/").content.decode()
    assert "Review queue" not in anonymous_page

    editor_client = Client()
    editor_client.force_login(editor)
    assert "Review queue" in editor_client.get("/initiatives/").content.decode()
    assert "Review queue" not in Client().get("/initiatives/").content.decode()


def a_form(request):
    form = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')
    return HttpResponse(form.render(request=request))


# For the test below: a page marked for the cache, whose form has a CSRF token.
urlpatterns = [route("a-form/", caching.cache_public_response(a_form))]


@pytest.mark.urls(__name__)
def test_an_answer_holding_a_csrf_token_is_never_handed_to_another_reader():
    """No public page has a token now (the language form needs none), but one that did would
    pair it with its first reader's cookie: it is rendered for each reader, never kept."""
    first, second = Client().get("/a-form/"), Client().get("/a-form/")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "miss")
    assert CSRF_VALUE.search(first.content.decode())[1] != CSRF_VALUE.search(second.content.decode())[1]


def test_each_language_is_cached_apart(client, case):
    english = client.get("/initiatives/", headers={"Accept-Language": "en"}).content.decode()
    chinese = client.get("/initiatives/", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert 'lang="en"' in english
    assert 'lang="zh-hans"' in chinese or 'lang="zh-Hans"' in chinese


def test_the_language_cookie_chooses_the_cached_page_too(case, settings):
    """The key's language is read from the request before LocaleMiddleware has run: the
    cookie the language switch sets counts as it does for the middleware."""
    french_reader = Client()
    french_reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    pages = [
        french_reader.get("/initiatives/"),
        Client().get("/initiatives/"),
        french_reader.get("/initiatives/"),
    ]

    assert [page["X-Cache"] for page in pages] == ["miss", "miss", "hit"]
    assert [page["Content-Language"] for page in pages] == ["fr", "en", "fr"]
    assert 'lang="fr"' in pages[2].content.decode()


def test_a_page_cached_over_https_is_still_a_redirect_over_http(case, settings):
    settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS = True, 3600
    reader = Client()

    first, second = reader.get("/initiatives/", secure=True), reader.get("/initiatives/", secure=True)
    plain = reader.get("/initiatives/")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second["Strict-Transport-Security"] == first["Strict-Transport-Security"]
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/initiatives/"


def test_a_new_dataset_release_is_never_answered_with_the_old_ones_header(client, case, monkeypatch):
    """Answers that publish data say their dataset release in a header, which is kept with a
    cached answer: a release (a deploy with new fixtures) is a new entry."""
    first = client.get("/matrix.csv")
    b"".join(first.streaming_content)  # a streamed download is kept once it is sent whole
    assert client.get("/matrix.csv")["X-Cache"] == "hit"
    released = dataset.releases()
    monkeypatch.setattr(dataset, "releases", lambda: [{**released[0], "version": "99.0.0"}, *released])

    after = client.get("/matrix.csv")

    assert after["Casebook-Dataset-Version"] == "99.0.0"


def test_each_format_is_cached_apart(client, case):
    json_answer = client.get("/api/v1/initiatives/", headers={"Accept": "application/json"})
    csv_answer = client.get("/api/v1/initiatives/", headers={"Accept": "text/csv"})
    assert json_answer["Content-Type"].startswith("application/json")
    assert csv_answer["Content-Type"].startswith("text/csv")


def test_a_cached_api_answer_still_answers_a_conditional_request_with_304(client, case):
    etag = client.get("/api/v1/initiatives/")["ETag"]
    client.get("/api/v1/initiatives/")  # now cached
    assert client.get("/api/v1/initiatives/", headers={"If-None-Match": etag}).status_code == 304


def test_errors_and_redirects_are_not_cached(client, case):
    for path, status in [
        ("/initiatives/?year_min=abc", 400),
        ("/initiatives/?q=", 302),
        ("/api/v1/nowhere/", 404),
    ]:
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == status
            assert response.get("X-Cache") != "hit"


@override_settings(
    CACHES={
        "default": cache_from_url("redis://127.0.0.1:1/0"),
        "shared": cache_from_url("redis://127.0.0.1:1/0"),
    }
)
def test_a_cache_outage_is_not_an_outage(client, case):
    """Redis gone (nothing listens on port 1): every read still answers, from the database,
    and the API's rate limit, which counts in the same Redis, lets requests through."""
    for path in ["/initiatives/", "/initiatives/snow-leopard-counts/", "/api/v1/initiatives/?facets=sector"]:
        assert client.get(path).status_code == 200
        assert client.get(path).status_code == 200


def test_cache_url_names_a_known_backend():
    assert cache_from_url("dummy://")["BACKEND"].endswith("DummyCache")
    assert cache_from_url("redis://127.0.0.1:6379/1")["LOCATION"] == "redis://127.0.0.1:6379/1"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://127.0.0.1")


def test_workers_share_the_cache_through_redis(client, case, settings):
    """Production's cache: what one worker rendered, the other serves (a fresh prefix keeps
    this test's keys apart from anything else in the Redis it uses)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            **cache_from_url("redis://127.0.0.1:6379/0"),
            "KEY_PREFIX": f"casebook-test-{case.pk}-{id(client)}",
        },
    }
    first, first_queries = queries_of(client, "/initiatives/snow-leopard-counts/")
    second, second_queries = queries_of(Client(), "/initiatives/snow-leopard-counts/")
    assert (first_queries > 1, second_queries) == (True, 1)
    assert second.content == first.content


@pytest.mark.parametrize(
    "path", ["/initiatives/snow-leopard-counts/", "/initiatives/", "/api/v1/initiatives/"]
)
def test_with_caching_off_no_data_version_is_read_for_a_key(client, case, uncached, path):
    """CACHE_URL=dummy:// keeps nothing, so a page does not pay the data version's query to
    name an entry that will never be stored (the API still reads it for its ETag)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)

    assert response.status_code == 200
    assert "X-Cache" not in response
    revision_reads = sum("catalogue_cataloguerevision" in query["sql"] for query in queries.captured_queries)
    assert revision_reads == (1 if path.startswith("/api/") else 0)


STREAMED_DOWNLOADS = [
    "/api/v1/initiatives/?format=csv",
    "/api/v1/initiatives/?format=csv&q=leopard",
    "/initiatives/export/bibtex/",
    "/initiatives/export/ris/?q=leopard",
    "/matrix.csv",
]


@pytest.mark.parametrize("path", STREAMED_DOWNLOADS)
def test_a_streamed_download_read_whole_is_served_from_the_cache_next_time(client, case, path):
    """A filtered CSV or reference download streams from the database the first time (q8 of
    bench/run: a second reader waited ~170 ms of CPU for the same 1,000 rows), and is kept
    once it has been sent whole."""
    first = client.get(path)
    first_body = b"".join(first.streaming_content)
    second, second_queries = queries_of(Client(), path)

    assert first.status_code == second.status_code == 200
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second_queries == 1  # the data version
    assert b"".join(second.streaming_content) == first_body
    assert case.title.encode() in first_body or path == "/matrix.csv"
    for header in ("Content-Type", "Content-Disposition"):
        assert second[header] == first[header]


@pytest.mark.django_db(transaction=True)
def test_a_download_the_reader_stopped_reading_is_not_kept(client):
    """Transactional: closing the response ends the request, which closes the database
    connection, as it does under a server (inside a test's transaction it could not reopen)."""
    case = factories.make_initiative(slug="snow-leopard-counts", title="Snow leopard counts")
    first = client.get("/api/v1/initiatives/?format=csv")
    next(iter(first.streaming_content))  # the header row, then the reader goes away
    first.close()  # as the server does when the reader has gone

    again = client.get("/api/v1/initiatives/?format=csv")
    assert again["X-Cache"] == "miss"
    assert case.title.encode() in b"".join(again.streaming_content)


def test_a_download_larger_than_the_limit_streams_every_time(client, case, monkeypatch):
    monkeypatch.setattr(caching, "STREAM_KEPT_UP_TO", 100)  # bytes: less than one row
    for _ in range(2):
        response = client.get("/api/v1/initiatives/?format=csv")
        assert response["X-Cache"] == "miss"
        assert response.streaming
        assert case.title.encode() in b"".join(response.streaming_content)


def test_a_kept_download_is_never_served_after_a_change(client, case):
    path = "/api/v1/initiatives/?format=csv"
    b"".join(client.get(path).streaming_content)
    case.title = "Snow leopard counts in the Pamirs"
    case.save()

    response = client.get(path)
    assert response["X-Cache"] == "miss"
    assert b"Snow leopard counts in the Pamirs" in b"".join(response.streaming_content)
