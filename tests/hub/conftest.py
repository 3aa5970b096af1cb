"""Personas of the members' tier: anonymous, a partner (signed in, never applied), an
applicant (waiting), a member (approved, listed in the directory), a listed peer, a former
member whose membership expired and one whose membership was revoked, and an editor."""

import pytest

from hub.models import Community
from tests import factories

FIRST_COMMUNITY = "law-enforcement-and-child-protection-practitioners"


@pytest.fixture
def community(db):
    """The first community, which a migration creates (recreated after a transactional
    test's flush)."""
    community, _ = Community.objects.get_or_create(
        slug=FIRST_COMMUNITY,
        defaults={"name": "Law enforcement and child protection practitioners", "description": "…"},
    )
    return community


@pytest.fixture
def partner(db):
    return factories.make_partner("partner@example.org")


@pytest.fixture
def applicant(community):
    user = factories.make_partner("applicant@example.org")
    factories.make_membership(user, community, status="applied")
    return user


@pytest.fixture
def member(community):
    user = factories.make_partner("member@example.org")
    factories.make_membership(
        user,
        community,
        status="approved",
        organisation="Kenya Police DCI",
        country="KE",
        listed_in_directory=True,
    )
    return user


@pytest.fixture
def peer(community):
    """Another listed member, to be written to."""
    user = factories.make_partner("peer@example.org")
    factories.make_membership(
        user,
        community,
        status="approved",
        organisation="Policía Federal Argentina",
        role="Victim identification analyst",
        country="AR",
        listed_in_directory=True,
    )
    return user


@pytest.fixture
def expired_member(community):
    user = factories.make_partner("expired@example.org")
    factories.make_membership(
        user,
        community,
        status="approved",
        days_left=-1,
        organisation="Expired Unit",
        listed_in_directory=True,
    )
    return user


@pytest.fixture
def revoked_member(community):
    user = factories.make_partner("revoked@example.org")
    factories.make_membership(
        user, community, status="revoked", organisation="Revoked Unit", listed_in_directory=True
    )
    return user


@pytest.fixture
def hub_editor(db):
    return factories.make_editor("vetting-editor@example.org")


@pytest.fixture
def hub_personas(partner, applicant, member, peer, expired_member, revoked_member, hub_editor):
    return {
        "anonymous": None,
        "partner": partner,
        "applicant": applicant,
        "member": member,
        "expired member": expired_member,
        "revoked member": revoked_member,
        "editor": hub_editor,
    }
