"""Nothing sent to the API is lost or answered in HTML: a write to a path without its trailing
slash keeps its method, and every error under /api/ is JSON in the documented shape."""

import pytest
import requests
from django.urls import path

from casebook import urls as project_urls
from catalogue.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_a_post_without_the_trailing_slash_keeps_its_method(
    api_client_for, partner_a, api_payload, settings, debug
):
    settings.DEBUG = debug

    response = api_client_for(partner_a).post("/api/v1/submissions", api_payload(), format="json")

    assert response.status_code == 308
    assert response["Location"] == "/api/v1/submissions/"
    assert response.json()["detail"]


@pytest.mark.parametrize("debug", [False, True])
def test_a_put_without_the_trailing_slash_keeps_its_method(
    api_client_for, partner_a, api_payload, settings, debug
):
    settings.DEBUG = debug

    response = api_client_for(partner_a).put("/api/v1/submissions/7?x=1", api_payload(), format="json")

    assert response.status_code == 308
    assert response["Location"] == "/api/v1/submissions/7/?x=1"


def test_a_read_without_the_trailing_slash_is_redirected_too(client):
    response = client.get("/api/v1/sectors", {"page": "1"})

    assert response.status_code in (301, 308)
    assert response["Location"] == "/api/v1/sectors/?page=1"


@pytest.mark.django_db(transaction=True)
def test_requests_following_the_redirect_creates_the_draft_once(live_server, partner_a, api_payload):
    token = factories.make_api_token(partner_a)

    response = requests.post(
        f"{live_server.url}/api/v1/submissions",
        json=api_payload(),
        headers={"Authorization": f"Token {token}"},
        timeout=10,
    )

    assert response.status_code == 201
    assert [record.status_code for record in response.history] == [308]
    assert response.json()["title"] == "Clinic chatbot for teenagers"
    assert Initiative.objects.count() == 1


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("url", ["/api/v1/nope/", "/api/v2/", "/api/v1/nope", "/api/"])
def test_an_unknown_api_path_is_a_json_404(client, settings, url, debug):
    settings.DEBUG = debug

    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_api_path_is_a_json_404_for_a_post_too(client):
    response = client.post("/api/v1/nope/", {"a": 1}, content_type="application/json")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def explode(request):
    raise RuntimeError("a bug")


def test_a_server_error_under_the_api_is_json(client, settings):
    settings.ROOT_URLCONF = __name__  # the project's URLs and handlers, plus a view that fails
    client.raise_request_exception = False

    response = client.get("/api/v1/explode/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "A server error occurred."}


def test_a_server_error_on_a_page_stays_html(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    response = client.get("/explode/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


urlpatterns = [
    path("api/v1/explode/", explode),
    path("explode/", explode),
    *project_urls.urlpatterns,
]
handler400 = getattr(project_urls, "handler400", "django.views.defaults.bad_request")
handler403 = getattr(project_urls, "handler403", "django.views.defaults.permission_denied")
handler404 = getattr(project_urls, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(project_urls, "handler500", "django.views.defaults.server_error")
