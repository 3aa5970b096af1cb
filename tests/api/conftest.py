import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The anonymous throttle counts requests in the cache; each test starts with none, so
    that a long run never trips it (the throttle's own test sets a low rate)."""
    cache.clear()
    yield
    cache.clear()


def slugs(response):
    """The slugs of the records in a list response, in order."""
    return [record["slug"] for record in response.json()["results"]]
