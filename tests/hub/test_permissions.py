"""Who may open each page of the members' tier: anonymous visitors, a partner who never
applied, an applicant, a member, former members (expired, revoked) and an editor."""

import pytest
from django.urls import reverse

from hub.models import ContactMessage, Membership

PERSONAS = ["anonymous", "partner", "applicant", "member", "expired member", "revoked member", "editor"]
EVERYONE = dict.fromkeys(PERSONAS, 200)
SIGNED_IN = {**EVERYONE, "anonymous": "login"}
EDITORS = {**dict.fromkeys(PERSONAS, 403), "anonymous": "login", "editor": 200}
MEMBERS = {**dict.fromkeys(PERSONAS, 403), "anonymous": "login", "member": 200}

MATRIX = {
    "community-list": EVERYONE,
    "community-detail": EVERYONE,
    "apply": SIGNED_IN,
    "membership-queue": EDITORS,
    "membership-review": EDITORS,
    "member-directory": MEMBERS,
    "member-contact": MEMBERS,
    "message-reply": MEMBERS,
}


@pytest.fixture
def urls(hub_personas, community):
    applicant, member, peer = hub_personas["applicant"], hub_personas["member"], None
    peer_membership = Membership.objects.get(user__email="peer@example.org")
    peer = peer_membership.user
    message = ContactMessage.objects.create(
        sender=peer, recipient=member, sender_membership=peer_membership, body="Have you used this tool?"
    )
    return {
        "community-list": reverse("hub:community-list"),
        "community-detail": community.get_absolute_url(),
        "apply": reverse("hub:apply", kwargs={"slug": community.slug}),
        "membership-queue": reverse("hub:membership-queue"),
        "membership-review": Membership.objects.get(user=applicant).get_absolute_url(),
        "member-directory": reverse("hub:member-directory"),
        "member-contact": reverse("hub:member-contact", kwargs={"pk": peer_membership.pk}),
        "message-reply": message.get_absolute_url(),
    }


@pytest.mark.parametrize("page", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_the_matrix_says_on_each_page(client_for, hub_personas, urls, page, persona):
    url = urls[page]
    response = client_for(hub_personas[persona]).get(url)

    expected = MATRIX[page][persona]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


def test_a_signed_in_non_member_is_told_why_the_directory_is_closed(client_for, partner, community):
    response = client_for(partner).get(reverse("hub:member-directory"))

    assert response.status_code == 403
    assert "open to vetted members of a community only" in response.content.decode()
    assert community.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize("persona", ["partner", "applicant", "member", "expired member"])
def test_only_editors_may_post_a_decision(client_for, hub_personas, persona):
    application = Membership.objects.get(user=hub_personas["applicant"])

    response = client_for(hub_personas[persona]).post(application.get_absolute_url(), {"decision": "approve"})

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Membership.Status.APPLIED


@pytest.mark.parametrize("persona", ["partner", "applicant", "expired member", "revoked member", "editor"])
def test_only_active_members_may_send_a_message(client_for, hub_personas, mailoutbox, persona):
    peer = Membership.objects.get(user__email="peer@example.org")

    response = client_for(hub_personas[persona]).post(
        reverse("hub:member-contact", kwargs={"pk": peer.pk}), {"body": "Hello"}
    )

    assert response.status_code == 403
    assert mailoutbox == []
    assert not ContactMessage.objects.exists()
