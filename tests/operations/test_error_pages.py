"""A crash is a 500 of the site's own (templates/500.html, which needs no database), or JSON
under /api/; never Django's bare "Server Error (500)"."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from casebook.urls import handler500
from casebook.urls import urlpatterns as site_urlpatterns


def crash(request):
    raise RuntimeError("a bug")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [path("crash/", crash), path("api/v1/crash/", crash), *site_urlpatterns]
__all__ = ["handler500", "urlpatterns"]


@pytest.fixture
def lenient_client(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def test_a_crash_on_a_page_shows_the_sites_500_page(lenient_client):
    response = lenient_client.get("/crash/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong on our side" in response.content.decode()


def test_the_500_page_is_translated(lenient_client):
    response = lenient_client.get("/crash/", headers={"accept-language": "zh-hans"})

    assert response.status_code == 500
    assert "我们这边出了问题" in response.content.decode()


def test_a_crash_in_the_api_is_a_json_500(lenient_client):
    response = lenient_client.get("/api/v1/crash/")

    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred."}


def test_a_crash_is_logged_with_its_traceback_and_request_id(lenient_client, caplog):
    response = lenient_client.get("/crash/")

    [record] = [record for record in caplog.records if record.exc_info]
    assert record.exc_info[0] is RuntimeError
    assert record.request_id == response["X-Request-ID"]
