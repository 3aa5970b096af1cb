"""Editors claim a submission, or assign it to another editor, so that two do not review the
same one: the queue shows who has it, and a claim never silently replaces another's."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from catalogue.models import Initiative
from tests import factories
from tests.workflow.test_races import BrowserClient, at_once, server  # noqa: F401 (a fixture)

Status = Initiative.Status


@pytest.fixture
def submission(partner_a):
    return factories.make_submission(partner_a, status=Status.SUBMITTED, title="Reading Buddy")


@pytest.fixture
def other_editor(db):
    return factories.make_editor("other-editor@example.org")


def claim(client, submission, **data):
    return client.post(reverse("review:claim", args=[submission.pk]), data)


@pytest.mark.django_db
def test_an_editor_claims_a_submission_and_the_queue_shows_who_has_it(client, editor, submission):
    client.force_login(editor)

    response = claim(client, submission, holder="")

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.claimed_by == editor
    queue = client.get(reverse("review:queue")).content.decode()
    assert "editor@example.org" in queue.split("Reading Buddy")[1]


@pytest.mark.django_db
def test_a_second_editor_is_told_it_is_claimed_and_the_claim_stays(client, editor, other_editor, submission):
    client.force_login(editor)
    claim(client, submission, holder="")
    client.force_login(other_editor)

    page = client.get(reverse("review:detail", args=[submission.pk])).content.decode()
    response = claim(client, submission, holder="")  # sent from a page that showed nobody

    assert "Claimed by editor@example.org" in page
    assert response.status_code == 409
    assert "editor@example.org claimed this submission" in response.content.decode()
    submission.refresh_from_db()
    assert submission.claimed_by == editor


@pytest.mark.django_db
def test_a_second_editor_can_take_it_over_explicitly(client, editor, other_editor, submission):
    client.force_login(editor)
    claim(client, submission, holder="")
    client.force_login(other_editor)

    response = claim(client, submission, holder=editor.pk)

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.claimed_by == other_editor


@pytest.mark.django_db
def test_an_editor_assigns_a_submission_to_another_editor(client, editor, other_editor, submission):
    client.force_login(editor)

    claim(client, submission, holder="", editor=other_editor.pk)

    submission.refresh_from_db()
    assert submission.claimed_by == other_editor


@pytest.mark.django_db
def test_a_submission_cannot_be_assigned_to_someone_who_is_not_an_editor(
    client, editor, partner_b, submission
):
    client.force_login(editor)

    response = claim(client, submission, holder="", editor=partner_b.pk)

    assert response.status_code == 200
    assert "editor" in response.context["claim_form"].errors
    submission.refresh_from_db()
    assert submission.claimed_by is None


@pytest.mark.django_db
def test_a_partner_cannot_claim(client, partner_a, submission):
    client.force_login(partner_a)

    assert claim(client, submission, holder="").status_code == 403
    submission.refresh_from_db()
    assert submission.claimed_by is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_ten_editors_claiming_at_once_one_wins_and_the_others_are_told(server):  # noqa: F811
    submission = factories.make_submission(factories.make_partner(), status=Status.SUBMITTED)
    # The Editors group comes from a migration, which an earlier test's flush may have removed.
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="review_initiative"))
    editors = [factories.make_editor() for _ in range(10)]
    url = f"{server}{reverse('review:claim', args=[submission.pk])}"

    responses = at_once([lambda e=e: BrowserClient(e).post(url, {"holder": ""}) for e in editors])

    assert sorted(response.status_code for response in responses) == [302] + [409] * 9
    submission.refresh_from_db()
    winner = submission.claimed_by
    assert winner in editors
    for response in responses:
        if response.status_code == 409:
            assert f"{winner.email} claimed this submission" in response.text


@pytest.mark.django_db
def test_the_review_page_with_its_claim_and_duplicate_forms_costs_a_fixed_number_of_queries(
    client, editor, other_editor, submission, django_assert_num_queries
):
    for n in range(3):
        factories.make_initiative(title=f"Reading Buddy {n}")
    client.force_login(editor)

    # session, user, user's and group permissions (is_editor), the submission with its
    # organisations, partner, linked case and claimer; its partners, sectors, technologies,
    # beneficiary groups, key figures, alignments, submitted sources, citations; the similar
    # titles, the possible duplicates, the last review, the editors to assign to, the history,
    # the conversation with its authors, the editors' corrections with their editors
    with django_assert_num_queries(20):
        response = client.get(reverse("review:detail", args=[submission.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('name="duplicate-similar"') == 3
