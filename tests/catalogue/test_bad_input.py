"""The browse pages' filter forms (the same FilterSets the API uses) answer any query string,
however wrong, with the page and its form errors or a 400, never a 500."""

import pytest
from django.urls import reverse
from hypothesis import given

from tests.fuzz import FUZZ_SETTINGS, assert_answered, form_posts

INITIATIVE_FILTERS = {
    "q": "children",
    "sector": "education",
    "organisation": "unicef",
    "organisation_kind": "ngo",
    "source": "wic",
    "requirement": "3",
    "technology": "chatbot",
    "beneficiary": "children",
    "country": "KE",
    "year_min": "2018",
    "year_max": "2024",
    "children_focus": "true",
    "ordering": "newest",
    "updated_since": "2024-01-01T00:00:00Z",
    "page": "1",
}
ORGANISATION_FILTERS = {"q": "unicef", "kind": "ngo", "country": "KE", "page": "1"}


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_posts(INITIATIVE_FILTERS))
def test_the_initiative_filters_never_answer_500(client, uncached, data):
    assert_answered(client.get(reverse("catalogue:initiative-list"), data))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_posts(ORGANISATION_FILTERS))
def test_the_organisation_filters_never_answer_500(client, uncached, data):
    assert_answered(client.get(reverse("catalogue:organisation-list"), data))
