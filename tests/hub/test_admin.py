"""The admin's pages for the members' tier open, and leave decisions to the vetting pages."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from hub.models import ContactMessage, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for_hub(client, hub_personas):
    admin = get_user_model().objects.create_superuser("root@example.org", "root@example.org", "x")
    client.force_login(admin)
    peer = Membership.objects.get(user__email="peer@example.org")
    ContactMessage.objects.create(
        sender=peer.user, recipient=hub_personas["member"], sender_membership=peer, body="Hi"
    )
    return client


@pytest.mark.parametrize("model", ["community", "membership", "contactmessage"])
def test_each_admin_list_and_first_record_open(admin_client_for_hub, model):
    changelist = admin_client_for_hub.get(reverse(f"admin:hub_{model}_changelist"))
    assert changelist.status_code == 200
    first = changelist.context["cl"].result_list[0]

    change = admin_client_for_hub.get(reverse(f"admin:hub_{model}_change", args=[first.pk]))

    assert change.status_code == 200


def test_the_admin_cannot_change_a_membership_status(admin_client_for_hub, applicant):
    application = Membership.objects.get(user=applicant)

    page = admin_client_for_hub.get(reverse("admin:hub_membership_change", args=[application.pk]))

    assert "status" not in page.context["adminform"].form.fields
