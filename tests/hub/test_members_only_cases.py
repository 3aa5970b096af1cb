"""A whole case restricted to a community: its members (and editors) read it at its address,
marked members only, each reading logged; everyone else gets the 404 of a case that does not
exist; members find it on /members/cases/; editors restrict it and publish it again on its
members-only page, each step in its history, moving the data version as unpublishing and
publishing do. (That it shows in no public output is tests/hub/test_leaks.py's.)"""

import pytest
from django.urls import reverse

from catalogue.models import Initiative, ProposedOrganisation, RemovedInitiative, StatusChange
from catalogue.revisions import catalogue_version
from hub import cases
from hub.models import AccessRecord, MembersOnlyCase
from tests import factories

pytestmark = pytest.mark.django_db

TITLE = "Seized-media triage console"
SUMMARY = "Ranks seized images for review by likely victim age."
OTHERS = ["anonymous", "partner", "applicant", "expired member", "revoked member"]


@pytest.fixture
def restricted(community, hub_editor):
    initiative = factories.make_initiative(slug="triage-console", title=TITLE, summary=SUMMARY)
    cases.restrict(initiative, community, hub_editor, "Operational details.")
    initiative.refresh_from_db()
    return initiative


def page_of(client, initiative):
    return client.get(initiative.get_absolute_url())


def restriction_page(initiative):
    return reverse("hub:restricted-part-list", kwargs={"slug": initiative.slug})


def restrict_url(initiative):
    return reverse("hub:case-restriction", kwargs={"slug": initiative.slug})


# --- Reading ---------------------------------------------------------------------------------


def test_a_member_of_the_community_reads_the_whole_case_marked_members_only(
    client_for, member, community, restricted
):
    response = page_of(client_for(member), restricted)
    page = response.content.decode()

    assert response.status_code == 200
    assert TITLE in page and SUMMARY in page
    assert "Members only" in page
    assert f'only members of <a href="{community.get_absolute_url()}">{community.name}</a>' in page


def test_editors_read_a_members_only_case(client_for, hub_editor, restricted):
    page = page_of(client_for(hub_editor), restricted).content.decode()

    assert SUMMARY in page
    assert "Members only" in page


@pytest.mark.parametrize("persona", OTHERS)
def test_anyone_else_gets_the_404_of_a_case_that_does_not_exist(
    client_for, hub_personas, restricted, persona
):
    client = client_for(hub_personas[persona])

    response = page_of(client, restricted)

    assert response.status_code == 404
    assert TITLE not in response.content.decode()


def test_a_member_of_another_community_gets_a_404(client_for, restricted):
    other = factories.make_community(name="Child helplines", slug="child-helplines")
    outsider = factories.make_partner("helpline@example.org")
    factories.make_membership(outsider, other, status="approved")

    assert page_of(client_for(outsider), restricted).status_code == 404


def test_a_public_case_page_shows_no_members_only_marker(client_for, member):
    public = factories.make_initiative()

    assert "Not in the public catalogue" not in page_of(client_for(member), public).content.decode()


def test_each_reading_is_logged_by_number_not_by_title(client_for, member, restricted):
    client = client_for(member)
    page_of(client, restricted)
    page_of(client, restricted)

    records = AccessRecord.objects.filter(reader=member, initiative=restricted)
    assert [record.what for record in records] == [f"Members-only case no. {restricted.pk}"] * 2
    assert f"Members-only case no. {restricted.pk}" in client.get(reverse("hub:access-log")).content.decode()


def test_members_may_report_on_a_members_only_case(client_for, member, restricted):
    response = client_for(member).get(reverse("hub:report-create", kwargs={"slug": restricted.slug}))

    assert response.status_code == 200
    assert TITLE in response.content.decode()


def test_a_members_case_page_of_a_restricted_case_runs_a_fixed_number_of_queries(
    client_for, member, restricted, django_assert_num_queries
):
    client = client_for(member)

    # session, user; the editor check (the user's and their groups' permissions: 2); the case,
    # members-only and readable (the memberships in a subquery), with its lead organisation;
    # its relations in one query; the restriction with its community, and its reading logged
    # (the marker); the hub's members-only content: the reader's memberships, parts, reports,
    # communities holding some
    with django_assert_num_queries(12):
        response = page_of(client, restricted)
    assert response.status_code == 200


# --- Finding them ----------------------------------------------------------------------------


def test_members_find_the_cases_of_their_communities_on_the_members_page(
    client_for, member, community, restricted
):
    other = factories.make_community(name="Child helplines", slug="child-helplines")
    elsewhere = factories.make_initiative(title="Helpline routing notes")
    cases.restrict(elsewhere, other, factories.make_editor())

    page = client_for(member).get(reverse("hub:members-only-cases")).content.decode()

    assert TITLE in page
    assert restricted.get_absolute_url() in page
    assert "Helpline routing notes" not in page


def test_a_case_published_again_leaves_the_members_page(client_for, member, hub_editor, restricted):
    cases.open_to_everyone(restricted, hub_editor)

    assert TITLE not in client_for(member).get(reverse("hub:members-only-cases")).content.decode()


@pytest.mark.parametrize("persona", ["partner", "expired member", "revoked member"])
def test_the_members_page_is_closed_to_others(client_for, hub_personas, restricted, persona):
    response = client_for(hub_personas[persona]).get(reverse("hub:members-only-cases"))

    assert response.status_code == 403
    assert TITLE not in response.content.decode()


# --- Restricting and publishing again ----------------------------------------------------------


def test_restricting_a_published_case_unpublishes_it_for_the_public(client, community, hub_editor):
    initiative = factories.make_initiative(title=TITLE)
    before = catalogue_version()

    cases.restrict(initiative, community, hub_editor)

    assert catalogue_version().number > before.number
    assert RemovedInitiative.objects.filter(slug=initiative.slug).exists()  # syncing clients drop it
    assert client.get(initiative.get_absolute_url()).status_code == 404
    assert initiative.slug not in [
        row["slug"] for row in client.get("/api/v1/initiatives/").json()["results"]
    ]


def test_publishing_it_again_moves_the_data_version_and_brings_it_back(client, hub_editor, restricted):
    before = catalogue_version()

    cases.open_to_everyone(restricted, hub_editor, "Cleared for publication.")

    assert catalogue_version().number > before.number
    assert not RemovedInitiative.objects.filter(slug=restricted.slug).exists()
    assert not MembersOnlyCase.objects.filter(initiative=restricted).exists()
    assert client.get(restricted.get_absolute_url()).status_code == 200


def test_restricting_a_submission_moves_nothing_public_and_keeps_its_proposals_private(
    community, hub_editor, partner
):
    submission = factories.make_submission(
        partner, status=Initiative.Status.SUBMITTED, lead_organisation=None
    )
    ProposedOrganisation.objects.create(initiative=submission, name="Confidential Unit", kind="government")
    before = catalogue_version()

    cases.restrict(submission, community, hub_editor, "For members.")

    assert catalogue_version() == before
    assert ProposedOrganisation.objects.get(initiative=submission).approved_as is None
    change = StatusChange.objects.filter(initiative=submission).last()
    assert (change.from_status, change.to_status, change.note) == (
        "submitted",
        "members_only",
        "For members.",
    )
    assert change.is_review  # the partner is told the decision, as for any other


def test_editors_restrict_a_case_on_its_members_only_page(client_for, hub_editor, community):
    initiative = factories.make_initiative(title=TITLE)

    response = client_for(hub_editor).post(
        restrict_url(initiative), {"action": "restrict", "community": community.pk, "note": "Operational."}
    )

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.MEMBERS_ONLY
    assert MembersOnlyCase.objects.get(initiative=initiative).community == community
    change = StatusChange.objects.filter(initiative=initiative).last()
    assert (change.actor, change.to_status, change.note) == (hub_editor, "members_only", "Operational.")


def test_editors_publish_it_again_on_the_same_page(client_for, hub_editor, restricted):
    response = client_for(hub_editor).post(restrict_url(restricted), {"action": "publish"})

    assert response.status_code == 302
    restricted.refresh_from_db()
    assert restricted.status == Initiative.Status.PUBLISHED


def test_the_editors_page_says_whose_members_read_the_case(client_for, hub_editor, community, restricted):
    page = client_for(hub_editor).get(restriction_page(restricted)).content.decode()

    assert f"read by the members of {community.name}" in page


def test_restricting_without_a_community_is_a_400_naming_the_field(client_for, hub_editor):
    initiative = factories.make_initiative()

    response = client_for(hub_editor).post(restrict_url(initiative), {"action": "restrict"})

    assert response.status_code == 400
    assert "Choose the community whose members may read the case." in response.content.decode()
    assert not response.context["form"].is_bound  # the members-only part's form shows no errors
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED


@pytest.mark.parametrize("action", ["", "unpublish", "restrict\x00"])
def test_an_unknown_step_is_a_400(client_for, hub_editor, community, action):
    initiative = factories.make_initiative()

    response = client_for(hub_editor).post(
        restrict_url(initiative), {"action": action, "community": community.pk}
    )

    assert response.status_code == 400


def test_a_draft_cannot_be_restricted_and_the_page_says_why(client_for, hub_editor, community, partner):
    draft = factories.make_submission(partner)

    response = client_for(hub_editor).post(
        restrict_url(draft), {"action": "restrict", "community": community.pk}
    )

    assert response.status_code == 409
    assert "that step is not possible now" in response.content.decode()
    assert not MembersOnlyCase.objects.filter(initiative=draft).exists()


@pytest.mark.parametrize("persona", ["partner", "member"])
def test_only_editors_restrict_a_case(client_for, hub_personas, community, persona):
    initiative = factories.make_initiative()

    response = client_for(hub_personas[persona]).post(
        restrict_url(initiative), {"action": "restrict", "community": community.pk}
    )

    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED


def test_reloading_the_catalogue_never_publishes_a_members_only_case(tmp_path, community, hub_editor):
    from tests.catalogue.test_load_catalogue import MINIMAL_FIXTURE, load, write_fixture

    fixtures = write_fixture(tmp_path / "fixtures", MINIMAL_FIXTURE)
    load(fixtures)
    cases.restrict(Initiative.objects.get(slug="acme-tutor"), community, hub_editor)
    changed = {
        **MINIMAL_FIXTURE,
        "initiatives": [{**MINIMAL_FIXTURE["initiatives"][0], "title": "Acme, 2nd"}],
    }
    write_fixture(fixtures, changed)

    load(fixtures, "--overwrite-edited")

    reloaded = Initiative.objects.get(slug="acme-tutor")
    assert (reloaded.title, reloaded.status) == ("Acme, 2nd", Initiative.Status.MEMBERS_ONLY)
