"""The language switch in every page's header is a form with no CSRF token: a browser's
Sec-Fetch-Site and Origin headers say where it was sent from, and only this site may switch a
reader's language (casebook/language.py). So a reader who only reads is given no cookie, and
every reader of a page is sent the same bytes."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/initiatives/"
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}


@pytest.fixture
def case():
    return factories.make_initiative(slug="snow-leopard-counts", title="Snow leopard counts")


def switch(client, headers, language="zh-hans"):
    return client.post(reverse("set_language"), {"language": language, "next": LIST}, headers=headers)


def interface_language(client):
    return client.get(LIST)["Content-Language"]


@pytest.mark.parametrize("path", ["/", LIST, "/initiatives/snow-leopard-counts/", "/organisations/"])
def test_a_reader_who_only_reads_is_given_no_cookie(case, path):
    reader = Client(enforce_csrf_checks=True)
    first, second = reader.get(path), reader.get(path)

    assert first.status_code == second.status_code == 200
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert not first.cookies and not second.cookies
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert second.content == first.content  # every reader of a page gets the same bytes


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(SAME_ORIGIN, id="a browser, from a page of this site"),
        pytest.param({"Sec-Fetch-Site": "none"}, id="typed or bookmarked by the reader"),
        pytest.param({"Origin": "http://testserver"}, id="a browser without Sec-Fetch-Site"),
        pytest.param({}, id="not a browser: no Origin, no Sec-Fetch-Site"),
    ],
)
def test_the_language_form_switches_the_language_without_a_token(case, headers, settings):
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(LIST).content.decode()
    assert 'action="/i18n/setlang/"' in page

    response = switch(reader, headers)

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert interface_language(reader) == "zh-hans"


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"}, id="elsewhere"),
        pytest.param({"Sec-Fetch-Site": "same-site", "Origin": "http://blog.testserver"}, id="a subdomain"),
        pytest.param({"Origin": "https://elsewhere.example"}, id="another site, no Sec-Fetch-Site"),
        pytest.param({"Origin": "null"}, id="an opaque origin (a sandboxed frame)"),
        pytest.param({"Origin": "https://testserver"}, id="the same host, another scheme"),
    ],
)
def test_a_language_switch_sent_from_another_site_is_refused(case, headers):
    reader = Client(enforce_csrf_checks=True)
    reader.get(LIST, headers={"Accept-Language": "en"})

    response = switch(reader, headers)

    assert response.status_code == 403
    assert not response.cookies
    assert interface_language(reader) == "en"


def test_an_origin_the_operator_trusts_may_switch_the_language(case, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://partners.example"]
    reader = Client(enforce_csrf_checks=True)

    response = switch(reader, {"Sec-Fetch-Site": "cross-site", "Origin": "https://partners.example"})

    assert response.status_code == 302
    assert interface_language(reader) == "zh-hans"


def test_forms_that_change_data_still_need_their_token(case):
    """Only the language switch goes without one: signing in, for instance, does not."""
    reader = Client(enforce_csrf_checks=True)
    page = reader.get("/accounts/login/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page

    credentials = {"username": "a@example.org", "password": "x"}
    response = reader.post("/accounts/login/", credentials, headers=SAME_ORIGIN)

    assert response.status_code == 403
