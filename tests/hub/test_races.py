"""One open application per person and community, decided by the database's unique
constraint: the same person sending the form many times at once (double clicks, two tabs)
gets one application; every other request is answered 409. Real concurrent requests against
the live server, on PostgreSQL."""

import pytest
from django.urls import reverse

from hub.models import Community, Membership
from tests import factories
from tests.hub.conftest import FIRST_COMMUNITY
from tests.workflow.test_races import BrowserClient, at_once, server, statuses  # noqa: F401 (fixture)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_applications_sent_at_once_by_one_person_make_one(server):  # noqa: F811
    # The migration's community, unless an earlier transactional test flushed it away.
    community, _ = Community.objects.get_or_create(slug=FIRST_COMMUNITY, defaults={"name": "Practitioners"})
    applicant = factories.make_partner("racer@example.org")
    browser = BrowserClient(applicant)
    url = server + reverse("hub:apply", kwargs={"slug": community.slug})
    form = {"organisation": "Unit", "role": "Analyst", "country": "KE", "reason": "Triage."}

    responses = at_once([lambda: browser.post(url, form) for _ in range(10)])

    assert statuses(responses) == {302: 1, 409: 9}
    assert Membership.objects.filter(user=applicant).count() == 1
