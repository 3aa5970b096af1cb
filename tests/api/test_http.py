"""HTTP behaviour every endpoint shares: the root, conditional requests, CORS, throttling,
the documentation page."""

import re

import pytest
from django.contrib.staticfiles import finders

from catalogue.models import Sector

pytestmark = pytest.mark.django_db


def test_root_lists_every_endpoint_the_schema_and_the_docs(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    root = response.json()
    # Besides the addresses, the dataset version and licence served (tests/catalogue/test_dataset.py).
    for name in ["dataset_version", "dataset_changelog", "licence", "quoted_text"]:
        root.pop(name)
    assert root == {
        name: f"http://testserver/api/v1/{name}/"
        for name in [
            "initiatives",
            "organisations",
            "sectors",
            "technologies",
            "tasks",
            "beneficiaries",
            "requirements",
            "sources",
            "publications",
            "submissions",
            "schema",
            "docs",
        ]
    }


def test_responses_carry_etag_and_last_modified(client, make_sector):
    make_sector()

    response = client.get("/api/v1/sectors/")

    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    assert response["Last-Modified"].endswith(" GMT")


def test_a_matching_etag_gets_a_304_without_a_body(client, make_sector):
    make_sector()
    etag = client.get("/api/v1/sectors/")["ETag"]

    response = client.get("/api/v1/sectors/", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_gets_a_304_when_nothing_changed(client, make_sector):
    make_sector()
    last_modified = client.get("/api/v1/sectors/")["Last-Modified"]

    response = client.get("/api/v1/sectors/", headers={"If-Modified-Since": last_modified})

    assert response.status_code == 304


def test_a_change_to_the_catalogue_renews_the_etag(client, make_sector):
    sector = make_sector()
    etag = client.get("/api/v1/sectors/")["ETag"]

    sector.name = "Renamed"
    sector.save()
    response = client.get("/api/v1/sectors/", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_deletion_renews_the_etag(client, make_sector):
    make_sector()
    unused = make_sector()
    etag = client.get("/api/v1/sectors/")["ETag"]

    Sector.objects.filter(pk=unused.pk).delete()

    assert client.get("/api/v1/sectors/", headers={"If-None-Match": etag}).status_code == 200


def test_each_query_string_and_format_has_its_own_etag(client, make_initiative):
    make_initiative()

    etags = {
        client.get("/api/v1/initiatives/")["ETag"],
        client.get("/api/v1/initiatives/", {"page_size": 5})["ETag"],
        client.get("/api/v1/initiatives/", {"format": "csv"})["ETag"],
    }

    assert len(etags) == 3


def test_a_304_costs_one_query(client, make_initiative, django_assert_num_queries):
    make_initiative()
    etag = client.get("/api/v1/initiatives/")["ETag"]

    # the catalogue state, nothing else
    with django_assert_num_queries(1):
        assert client.get("/api/v1/initiatives/", headers={"If-None-Match": etag}).status_code == 304


def test_errors_carry_no_etag(client):
    response = client.get("/api/v1/initiatives/", {"sector": "nowhere"})

    assert response.status_code == 400
    assert not response.has_header("ETag")


def test_any_origin_may_read_the_api(client):
    response = client.get("/api/v1/sectors/", headers={"Origin": "https://tool.example.net"})

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_cross_origin_preflight_allows_reading_only(client):
    response = client.options(
        "/api/v1/sectors/",
        headers={"Origin": "https://tool.example.net", "Access-Control-Request-Method": "GET"},
    )

    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_pages_outside_the_api_get_no_cors_headers(client):
    response = client.get("/", headers={"Origin": "https://tool.example.net"})

    assert not response.has_header("Access-Control-Allow-Origin")


def test_anonymous_clients_past_the_rate_get_429_with_retry_after(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}

    statuses = [client.get("/api/v1/sectors/").status_code for _ in range(3)]
    response = client.get("/api/v1/sectors/")

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Request was throttled.")


def test_the_default_rate_is_the_documented_one(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == "120/minute"


def test_docs_page_loads_swagger_ui_from_this_site_not_a_cdn(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_docs_page_is_one_of_the_sites_pages(client):
    """The API's front door has the site's header (a way back), footer and language, and a way
    to the schema without JavaScript."""
    response = client.get("/api/v1/docs/", headers={"accept-language": "zh-hans"})

    html = response.content.decode()
    assert '<html lang="zh-Hans" dir="ltr">' in html
    assert '<a class="brand" href="/">Casebook</a>' in html
    assert '<footer class="site-footer">' in html
    assert '<div id="swagger-ui" lang="en">' in html
    assert 'href="/api/v1/schema/"' in html


def test_docs_page_is_marked_current_in_the_sites_navigation(client):
    html = client.get("/api/v1/docs/").content.decode()

    assert '<a href="/api/v1/docs/" aria-current="page">' in html
    assert html.count('aria-current="page"') == 1


@pytest.mark.parametrize("page", ["abc", "last", "2.0"])
def test_a_page_that_is_not_a_whole_number_is_a_400_on_every_list(client, make_sector, page):
    make_sector()

    response = client.get("/api/v1/sectors/", {"page": page})

    assert response.status_code == 400
    assert response.json() == {"page": ["Enter a whole number."]}


def test_an_empty_page_is_the_first(client, make_sector):
    make_sector(slug="only")

    assert [sector["slug"] for sector in client.get("/api/v1/sectors/?page=").json()["results"]] == ["only"]


def test_the_preflight_lets_browser_clients_revalidate(client):
    response = client.options(
        "/api/v1/sectors/",
        headers={
            "Origin": "https://tool.example.net",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match, if-modified-since",
        },
    )

    allowed = {header.strip() for header in response["Access-Control-Allow-Headers"].split(",")}
    assert {"if-none-match", "if-modified-since"} <= allowed


def test_scripts_on_other_origins_can_read_the_validators_and_retry_after(client):
    response = client.get("/api/v1/sectors/", headers={"Origin": "https://tool.example.net"})

    exposed = {header.strip().lower() for header in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "last-modified", "retry-after"} <= exposed


@pytest.mark.parametrize("url", ["/api/v1/", "/api/v1/sectors/", "/api/v1/initiatives/", "/api/v1/schema/"])
def test_public_reads_may_be_stored_but_are_revalidated(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"public", "no-cache"}


def test_a_304_keeps_the_cache_control(client, make_sector):
    make_sector()
    etag = client.get("/api/v1/sectors/")["ETag"]

    response = client.get("/api/v1/sectors/", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert set(response["Cache-Control"].split(", ")) == {"public", "no-cache"}


@pytest.mark.parametrize(
    "url", ["/api/v1/sectors/?sector=x&page=abc", "/api/v1/nope/", "/api/v1/sectors/nowhere/"]
)
def test_api_errors_are_not_stored(client, url):
    response = client.get(url)

    assert response.status_code >= 400
    assert response["Cache-Control"] == "no-store"


def test_submissions_are_never_stored_by_a_cache(api_client_for, partner_a, api_payload):
    api = api_client_for(partner_a)

    responses = [
        api.get("/api/v1/submissions/"),
        api.post("/api/v1/submissions/", api_payload(), format="json"),
        api_client_for(None).get("/api/v1/submissions/"),
    ]

    assert [response.status_code for response in responses] == [200, 201, 401]
    assert {response["Cache-Control"] for response in responses} == {"private, no-store"}
