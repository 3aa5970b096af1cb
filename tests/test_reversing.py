"""Links are reversed once per process (casebook/reversing.py), and stay right for every
address the site is served under."""

import re
from unittest import mock

import pytest
from django.urls import set_script_prefix

from casebook import reversing
from tests import factories

pytestmark = pytest.mark.django_db

CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
SIGNED_IN = {"HTTP_COOKIE": "sessionid=x"}  # rendered, not answered from the page cache


def page_under(client, prefix, path):
    """`path` as served under `prefix`: the script prefix is what Django's WSGI handler sets
    from SCRIPT_NAME on each request (the test client does not)."""
    set_script_prefix(prefix)
    try:
        return client.get(path, SCRIPT_NAME=prefix.rstrip("/"), **SIGNED_IN).content.decode()
    finally:
        set_script_prefix("/")


def test_links_follow_the_prefix_the_site_is_served_under(client):
    factories.make_initiative(slug="snow-leopard-counts")
    assert 'href="/initiatives/"' in page_under(client, "/", "/initiatives/snow-leopard-counts/")

    under_a_prefix = page_under(client, "/casebook/", "/initiatives/snow-leopard-counts/")
    assert 'href="/casebook/initiatives/"' in under_a_prefix  # the navigation ({% url %})
    assert 'href="/casebook/organisations/organisation-' in under_a_prefix  # get_absolute_url()
    assert 'href="/initiatives/"' not in under_a_prefix

    again = page_under(client, "/", "/initiatives/snow-leopard-counts/")
    assert 'href="/initiatives/"' in again
    assert 'href="/casebook/' not in again


def test_a_page_seen_before_reverses_nothing_again(client):
    factories.make_initiative(slug="snow-leopard-counts")
    first = client.get("/initiatives/snow-leopard-counts/", **SIGNED_IN)

    with mock.patch.object(reversing, "django_reverse", side_effect=AssertionError("reversed again")):
        second = client.get("/initiatives/snow-leopard-counts/", **SIGNED_IN)

    assert second.status_code == 200
    assert CSRF_TOKEN.sub(b"", second.content) == CSRF_TOKEN.sub(b"", first.content)
