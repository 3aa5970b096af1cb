"""The member directory and writing to a member through the site: only active members see
it, only opted-in members are listed and can be written to, no address is ever shown, and
each sender is limited per hour."""

import pytest
from django.core import mail
from django.urls import reverse

from hub.models import ContactMessage, Membership
from tests import factories

pytestmark = pytest.mark.django_db


def contact_url(user):
    return reverse("hub:member-contact", kwargs={"pk": Membership.objects.get(user=user).pk})


def send(client, url, body="Have you used a triage tool on seized devices?", **extra):
    return client.post(url, {"body": body}, **extra)


def test_the_directory_lists_only_active_members_who_opted_in(client_for, hub_personas, community):
    unlisted = factories.make_partner("unlisted@example.org")
    factories.make_membership(unlisted, community, status="approved", listed_in_directory=False)

    response = client_for(hub_personas["member"]).get(reverse("hub:member-directory"))

    listed = [m.organisation for m in response.context["members"]]
    assert listed == ["Policía Federal Argentina", "Kenya Police DCI"]  # by country: AR, KE


def test_the_directory_filters_by_country(client_for, member, peer):
    response = client_for(member).get(reverse("hub:member-directory"), {"country": "AR"})

    assert [m.user.email for m in response.context["members"]] == ["peer@example.org"]


def test_the_directory_offers_only_the_countries_of_listed_members(client_for, member, peer):
    response = client_for(member).get(reverse("hub:member-directory"))

    choices = [code for code, name in response.context["filter"].form.fields["country"].choices if code]
    assert choices == ["AR", "KE"]


def test_an_unknown_country_is_shown_as_a_filter_error(client_for, member, peer):
    response = client_for(member).get(reverse("hub:member-directory"), {"country": "ZZ"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["country"]


def test_the_directory_never_shows_an_address(client_for, hub_personas):
    page = client_for(hub_personas["member"]).get(reverse("hub:member-directory")).content.decode()

    assert "Policía Federal Argentina" in page
    for persona in ("peer", "expired", "revoked", "applicant"):
        assert f"{persona}@example.org" not in page


def test_the_directory_runs_a_fixed_number_of_queries(
    client_for, member, peer, community, django_assert_num_queries
):
    for _ in range(5):
        factories.make_membership(
            factories.make_partner(), community, status="approved", listed_in_directory=True
        )
    client = client_for(member)

    # session, user, the visitor's active membership, the countries present (filter choices),
    # the count (pagination), the header's editor check (user's and groups' permissions: 2),
    # the page of members with their user and community
    with django_assert_num_queries(8):
        response = client.get(reverse("hub:member-directory"))
    assert len(response.context["members"]) == 7


def test_the_contact_form_shows_neither_address(client_for, member, peer):
    page = client_for(member).get(contact_url(peer)).content.decode()

    assert "Victim identification analyst" in page
    assert "peer@example.org" not in page


def test_a_message_reaches_the_member_without_either_address_in_it(
    client_for, member, peer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client_for(member), contact_url(peer))

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["peer@example.org"]
    assert "member@example.org" not in message.subject + message.body
    assert "member@example.org" not in str(message.message())  # no Reply-To or Cc either
    assert "Have you used a triage tool on seized devices?" in message.body
    assert "Kenya Police DCI" in message.body
    reply = ContactMessage.objects.get()
    assert reply.get_absolute_url() in message.body


def test_the_recipient_answers_through_the_site_and_the_answer_reaches_the_sender(
    client_for, member, peer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client_for(member), contact_url(peer))
    question = ContactMessage.objects.get()

    page = client_for(peer).get(question.get_absolute_url()).content.decode()
    assert "member@example.org" not in page
    with django_capture_on_commit_callbacks(execute=True):
        send(client_for(peer), question.get_absolute_url(), body="Yes, for a year now.")

    answer = mail.outbox[-1]
    assert answer.to == ["member@example.org"]
    assert "Yes, for a year now." in answer.body
    assert "peer@example.org" not in answer.subject + answer.body
    assert ContactMessage.objects.get(in_reply_to=question).sender == peer


def test_an_unlisted_member_cannot_be_written_to(client_for, member, community):
    unlisted = factories.make_partner("unlisted@example.org")
    factories.make_membership(unlisted, community, status="approved", listed_in_directory=False)

    response = send(client_for(member), contact_url(unlisted))

    assert response.status_code == 404
    assert mail.outbox == []


@pytest.mark.parametrize("former", ["expired_member", "revoked_member"])
def test_a_former_member_cannot_be_written_to(client_for, member, former, request):
    response = send(client_for(member), contact_url(request.getfixturevalue(former)))

    assert response.status_code == 404


def test_an_empty_message_is_a_form_error(client_for, member, peer):
    response = send(client_for(member), contact_url(peer), body="   ")

    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not ContactMessage.objects.exists()


def test_over_the_hourly_limit_a_message_is_refused_with_how_long_to_wait(
    client_for, member, peer, settings, django_capture_on_commit_callbacks
):
    settings.HUB_MESSAGES_PER_HOUR = 2
    client = client_for(member)
    with django_capture_on_commit_callbacks(execute=True):
        first, second, third = (send(client, contact_url(peer)) for _ in range(3))

    assert [first.status_code, second.status_code, third.status_code] == [302, 302, 429]
    assert 0 < int(third["Retry-After"]) <= 3600
    assert "You have sent the most messages allowed in an hour" in third.content.decode()
    assert len(mail.outbox) == 2
    assert ContactMessage.objects.count() == 2
