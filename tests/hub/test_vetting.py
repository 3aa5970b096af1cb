"""Editors vet applications: approve or refuse with a note, revoke a membership; the
applicant is mailed each decision, and a mail server that is down fails no decision."""

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hub.models import Membership, is_member
from tests import factories
from tests.mailqueue import mail_server_back

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(applicant):
    return Membership.objects.get(user=applicant)


def decide(client, membership, decision, note="", **extra):
    return client.post(membership.get_absolute_url(), {"decision": decision, "note": note}, **extra)


def test_the_queue_lists_waiting_applications_only_by_default(client_for, hub_personas, hub_editor):
    response = client_for(hub_editor).get(reverse("hub:membership-queue"))

    assert [m.user.email for m in response.context["memberships"]] == ["applicant@example.org"]


def test_the_queue_shows_approved_members_on_request(client_for, hub_personas, hub_editor):
    response = client_for(hub_editor).get(reverse("hub:membership-queue"), {"status": "approved"})

    emails = {m.user.email for m in response.context["memberships"]}
    assert emails == {"member@example.org", "peer@example.org", "expired@example.org"}


def test_an_approved_applicant_becomes_a_member_and_is_mailed(
    client_for, application, hub_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client_for(hub_editor), application, "approve", "Welcome.")

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Membership.Status.APPROVED
    assert application.decided_by == hub_editor
    assert is_member(application.user)
    assert [message.to for message in mail.outbox] == [["applicant@example.org"]]
    assert "approved" in mail.outbox[0].subject.lower()
    assert "Welcome." in mail.outbox[0].body
    assert reverse("hub:member-directory") in mail.outbox[0].body


def test_a_refusal_needs_a_note(client_for, application, hub_editor):
    response = decide(client_for(hub_editor), application, "refuse")

    assert response.status_code == 400
    assert response.context["form"].errors["note"]
    application.refresh_from_db()
    assert application.status == Membership.Status.APPLIED


def test_a_refused_applicant_is_mailed_the_note(
    client_for, application, hub_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(client_for(hub_editor), application, "refuse", "We could not verify your unit.")

    application.refresh_from_db()
    assert application.status == Membership.Status.REFUSED
    assert not is_member(application.user)
    assert "We could not verify your unit." in mail.outbox[0].body


def test_a_revoked_member_leaves_the_directory(
    client_for, member, peer, hub_editor, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(user=peer)
    with django_capture_on_commit_callbacks(execute=True):
        decide(client_for(hub_editor), membership, "revoke", "Left the police.")

    membership.refresh_from_db()
    assert membership.status == Membership.Status.REVOKED
    assert "revoked" in mail.outbox[0].subject.lower()
    directory = client_for(member).get(reverse("hub:member-directory"))
    assert [m.user.email for m in directory.context["members"]] == ["member@example.org"]


def test_a_decision_another_editor_already_took_is_answered_409_with_where_it_stands(
    client_for, application, hub_editor
):
    other_editor = factories.make_editor("other-editor@example.org")
    application.decide(other_editor, "refuse", "Not law enforcement.")

    response = decide(client_for(hub_editor), application, "approve")

    assert response.status_code == 409
    page = response.content.decode()
    assert "Another editor has decided this already" in page
    assert "other-editor@example.org" in page
    application.refresh_from_db()
    assert application.status == Membership.Status.REFUSED


def test_an_unknown_decision_is_a_400_naming_the_field(client_for, application, hub_editor):
    response = decide(client_for(hub_editor), application, "promote")

    assert response.status_code == 400
    assert response.context["form"].errors["decision"]


def test_two_editors_deciding_at_once_only_the_first_counts(application, hub_editor):
    from hub.models import NotPending

    other_editor = factories.make_editor()
    second_view = Membership.objects.get(pk=application.pk)
    application.decide(other_editor, "approve")

    with pytest.raises(NotPending):
        second_view.decide(hub_editor, "refuse", "Too late.")

    second_view.refresh_from_db()
    assert second_view.status == Membership.Status.APPROVED
    assert second_view.decided_by == other_editor


@pytest.mark.usefixtures("database_queue", "mail_server_down")
def test_approval_succeeds_while_the_mail_server_is_down_and_the_mail_follows(
    client_for, application, hub_editor, django_capture_on_commit_callbacks, run_worker, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client_for(hub_editor), application, "approve")

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Membership.Status.APPROVED
    assert DBTaskResult.objects.ready().count() == 1

    run_worker()
    assert mail.outbox == []
    mail_server_back(settings)
    run_worker(after_retry_delays=True)
    assert [message.to for message in mail.outbox] == [["applicant@example.org"]]


def test_the_queue_runs_a_fixed_number_of_queries(
    client_for, community, hub_editor, django_assert_num_queries
):
    for _ in range(6):
        factories.make_membership(factories.make_partner(), community)
    client = client_for(hub_editor)

    # session, user, the editor check (user's and groups' permissions: 2), the community
    # filter's choices, the count (pagination), the page with applicants and communities
    with django_assert_num_queries(7):
        response = client.get(reverse("hub:membership-queue"))
    assert len(response.context["memberships"]) == 6


def test_an_editor_cannot_approve_their_own_application(client_for, hub_editor, community):
    own = factories.make_membership(hub_editor, community)
    client = client_for(hub_editor)

    assert (
        "Another editor decides on your own application."
        in client.get(own.get_absolute_url()).content.decode()
    )
    response = decide(client, own, "approve")

    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == Membership.Status.APPLIED
