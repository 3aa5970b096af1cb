"""Bad input on the members' pages gets a clear answer, never a 500."""

import pytest
from django.urls import reverse

from hub.models import Membership

pytestmark = pytest.mark.django_db

HUGE = 10**30


@pytest.mark.parametrize("name", ["member-contact", "message-reply"])
def test_an_id_too_large_for_the_database_is_a_404(client_for, member, name):
    response = client_for(member).get(reverse(f"hub:{name}", kwargs={"pk": HUGE}))

    assert response.status_code == 404


def test_a_review_page_with_an_id_too_large_is_a_404(client_for, hub_editor):
    response = client_for(hub_editor).get(reverse("hub:membership-review", kwargs={"pk": HUGE}))

    assert response.status_code == 404


def test_an_unknown_status_in_the_queue_is_a_filter_error(client_for, hub_editor, applicant):
    response = client_for(hub_editor).get(reverse("hub:membership-queue"), {"status": "nonsense"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["status"]


def test_writing_to_oneself_is_a_404(client_for, member):
    own = Membership.objects.get(user=member)

    response = client_for(member).post(reverse("hub:member-contact", kwargs={"pk": own.pk}), {"body": "Hi"})

    assert response.status_code == 404
