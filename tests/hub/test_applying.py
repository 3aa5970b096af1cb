"""Applying to a community: what each visitor sees on its page, the form, the profile."""

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from hub.models import Membership

pytestmark = pytest.mark.django_db


def apply_data(**overrides):
    data = {
        "organisation": "Kenya Police Child Protection Unit",
        "role": "Detective sergeant",
        "country": "KE",
        "reason": "I triage reports of child sexual abuse material.",
    }
    return {**data, **overrides}


def test_the_first_community_is_listed_with_its_description_from_the_unicri_seed(client, community):
    response = client.get(reverse("hub:community-list"))
    assert "Law enforcement and child protection practitioners" in response.content.decode()

    page = client.get(community.get_absolute_url()).content.decode()
    assert "AI for Safer Children Global Hub" in page
    assert "004_9c970acede7331ad.txt" in page


def test_an_anonymous_visitor_sees_a_sign_in_link_and_no_form(client, community):
    page = client.get(community.get_absolute_url()).content.decode()

    assert f"{reverse('login')}?next={community.get_absolute_url()}" in page
    assert 'name="reason"' not in page


def test_a_signed_in_partner_sees_the_application_form(client_for, partner, community):
    page = client_for(partner).get(community.get_absolute_url()).content.decode()

    assert 'name="reason"' in page
    assert "Apply to join" in page


def test_a_member_sees_until_when_they_are_a_member(client_for, member, community):
    membership = Membership.objects.get(user=member)

    page = client_for(member).get(community.get_absolute_url()).content.decode()

    assert f"You are a member until {date_format(membership.expires_at, 'DATE_FORMAT')}." in page
    assert 'name="reason"' not in page


def test_an_applicant_sees_the_application_is_waiting(client_for, applicant, community):
    page = client_for(applicant).get(community.get_absolute_url()).content.decode()

    assert "the editors have not decided yet" in page
    assert 'name="reason"' not in page


def test_an_expired_member_is_told_it_ended_and_may_apply_again(client_for, expired_member, community):
    page = client_for(expired_member).get(community.get_absolute_url()).content.decode()

    assert "you may apply again" in page
    assert 'name="reason"' in page


def test_applying_records_the_application_and_shows_it_on_the_profile(client_for, partner, community):
    client = client_for(partner)

    response = client.post(reverse("hub:apply", kwargs={"slug": community.slug}), apply_data(), follow=True)

    membership = Membership.objects.get(user=partner)
    assert membership.status == Membership.Status.APPLIED
    assert membership.organisation == "Kenya Police Child Protection Unit"
    assert membership.listed_in_directory is False
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    page = response.content.decode()
    assert "Your application is sent" in page
    assert "waiting for the editors" in page


def test_the_profile_links_to_the_application_form(client_for, partner, community):
    page = client_for(partner).get(reverse("accounts:profile")).content.decode()

    assert "You have not applied to join a community." in page
    assert reverse("hub:apply", kwargs={"slug": community.slug}) in page


@pytest.mark.parametrize("persona", ["applicant", "member"])
def test_the_profile_offers_no_application_while_one_is_open(client_for, hub_personas, community, persona):
    page = client_for(hub_personas[persona]).get(reverse("accounts:profile")).content.decode()

    assert reverse("hub:apply", kwargs={"slug": community.slug}) not in page


def test_the_profile_offers_a_lapsed_member_to_apply_again(client_for, expired_member, community):
    page = client_for(expired_member).get(reverse("accounts:profile")).content.decode()

    assert "membership ended on" in page
    assert reverse("hub:apply", kwargs={"slug": community.slug}) in page


def test_the_profile_shows_a_refusal_with_its_note(client_for, partner, community):
    from tests import factories

    factories.make_membership(
        partner, community, status="refused", decision_note="We could not verify the unit."
    )

    page = client_for(partner).get(reverse("accounts:profile")).content.decode()

    assert "refused" in page
    assert "We could not verify the unit." in page


def test_a_second_application_is_answered_409_with_a_plain_message(client_for, applicant, community):
    response = client_for(applicant).post(reverse("hub:apply", kwargs={"slug": community.slug}), apply_data())

    assert response.status_code == 409
    assert "You already have an application waiting" in response.content.decode()
    assert Membership.objects.filter(user=applicant).count() == 1


@pytest.mark.parametrize(
    "field, value", [("reason", ""), ("country", "XX"), ("organisation", "x" * 201), ("role", "")]
)
def test_a_bad_answer_is_shown_on_the_form(client_for, partner, community, field, value):
    response = client_for(partner).post(
        reverse("hub:apply", kwargs={"slug": community.slug}), apply_data(**{field: value})
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Membership.objects.exists()


def test_an_unknown_community_is_a_404(client_for, partner):
    response = client_for(partner).get(reverse("hub:apply", kwargs={"slug": "no-such-community"}))

    assert response.status_code == 404
