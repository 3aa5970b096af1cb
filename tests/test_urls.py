"""The URLconf's order (casebook/urls.py): the pages most requests are for are found first,
and no address is taken by a pattern before its own."""

import re
import uuid

import pytest
from django.urls import get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RoutePattern, URLResolver

SAMPLE_VALUES = {
    IntConverter: "7",
    SlugConverter: "a-slug",
    StringConverter: "x",
    PathConverter: "x",
    UUIDConverter: str(uuid.UUID(int=7)),
}
# A route's parameter, `<slug:slug>` or `<name>`: group 1 is its name.
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def sampled(route_pattern):
    """The route with a sample value for each parameter, as its converter accepts it."""
    converters = route_pattern.converters
    return PARAMETER.sub(lambda match: SAMPLE_VALUES[type(converters[match[1]])], route_pattern._route)


def named_routes(resolver=None, prefix="", namespace=""):
    """(address with sample values, the pattern's full name) for every named `path()` pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # a regex (DRF's router, the API's catch-all): no sample to build
        route = sampled(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_routes(pattern, prefix + route, inner)
        elif pattern.name:
            yield "/" + prefix + route, namespace + pattern.name


ROUTES = sorted(set(named_routes()))


def test_every_named_route_is_sampled():
    assert len(ROUTES) > 60
    assert ("/initiatives/a-slug/", "catalogue:initiative-detail") in ROUTES


@pytest.mark.parametrize(("address", "name"), ROUTES)
def test_each_address_reaches_its_own_pattern(address, name):
    assert resolve(address).view_name == name


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("/initiatives/", "catalogue:initiative-list"),
        ("/initiatives/snow-leopard-counts/", "catalogue:initiative-detail"),
        ("/api/v1/initiatives/snow-leopard-counts/", "api:initiative-detail"),
    ],
)
def test_the_pages_most_requests_are_for_are_found_among_the_first_patterns(address, name):
    """Django tries the patterns one by one on every request, cached answers included."""
    match = resolve(address)

    assert match.view_name == name
    assert len(match.tried) <= 12
