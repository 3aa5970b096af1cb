"""The ceiling for bench/run: the same settings and middleware as the site, and one view that
returns "ok" without touching the database. It is both the settings module and the URLconf, so
the real site's URLs never gain this view."""

from django.http import HttpResponse
from django.urls import path

from bench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ceiling"


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("ok/", ok)]
