"""The one rule of membership, `Membership.objects.active()`, and applying."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hub.models import AlreadyApplied, Membership, is_member
from tests import factories


def test_active_holds_approved_memberships_that_have_not_expired(hub_personas, community):
    active = Membership.objects.active()

    assert {membership.user.email for membership in active} == {"member@example.org", "peer@example.org"}


def test_a_membership_stops_being_active_the_moment_it_expires(member):
    membership = Membership.objects.get(user=member)
    ends = membership.expires_at

    assert Membership.objects.active(at=ends - timedelta(seconds=1)).filter(pk=membership.pk).exists()
    assert not Membership.objects.active(at=ends).filter(pk=membership.pk).exists()


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", False),
        ("partner", False),
        ("applicant", False),
        ("member", True),
        ("expired member", False),
        ("revoked member", False),
        ("editor", False),
    ],
)
def test_is_member_follows_the_active_rule(hub_personas, community, persona, expected, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    user = hub_personas[persona] or AnonymousUser()

    assert is_member(user) is expected
    assert is_member(user, community) is expected


def test_a_membership_of_another_community_does_not_count(member):
    other = factories.make_community(slug="another")

    assert not is_member(member, other)


def test_a_second_application_while_one_waits_is_refused(applicant, community):
    with pytest.raises(AlreadyApplied):
        Membership.apply(applicant, community, organisation="X", role="Y", reason="Z", country="FR")

    assert Membership.objects.filter(user=applicant).count() == 1


def test_a_former_member_whose_membership_lapsed_may_apply_again(expired_member, community):
    new = Membership.apply(expired_member, community, organisation="X", role="Y", reason="Z", country="FR")

    old = Membership.objects.exclude(pk=new.pk).get(user=expired_member)
    assert old.status == Membership.Status.EXPIRED
    assert new.status == Membership.Status.APPLIED


def test_a_refused_applicant_may_apply_again(community):
    user = factories.make_partner()
    factories.make_membership(user, community, status="refused")

    Membership.apply(user, community, organisation="X", role="Y", reason="Z", country="FR")

    assert Membership.objects.filter(user=user).count() == 2


def test_approval_lasts_the_configured_period(applicant, hub_editor, settings):
    settings.HUB_MEMBERSHIP_PERIOD = timedelta(days=30)
    application = Membership.objects.get(user=applicant)

    application.decide(hub_editor, "approve")

    application.refresh_from_db()
    expected = timezone.now() + timedelta(days=30)
    assert abs(application.expires_at - expected) < timedelta(minutes=1)
    assert is_member(applicant)
