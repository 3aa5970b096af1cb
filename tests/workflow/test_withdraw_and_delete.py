"""A partner withdraws a submission before the editors decide, and deletes a draft: each from
the submission page, confirmed on a page of its own (POST, CSRF), with the history kept."""

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.models import Initiative
from tests import factories

Status = Initiative.Status

pytestmark = pytest.mark.django_db


def url(step, initiative):
    return reverse(f"submissions:{step}", kwargs={"pk": initiative.pk})


def test_the_submission_page_offers_withdraw_and_asks_before_it_is_done(client, partner_a):
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)
    client.force_login(partner_a)

    page = client.get(url("detail", initiative)).content.decode()
    assert url("withdraw", initiative) in page
    confirmation = client.get(url("withdraw", initiative))

    assert confirmation.status_code == 200
    assert f'action="{url("withdraw", initiative)}"' in confirmation.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED  # asking changed nothing


def test_withdrawing_makes_it_a_draft_again_and_records_it(client, partner_a, editor):
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)
    client.force_login(partner_a)

    response = client.post(url("withdraw", initiative))

    assert response.url == url("detail", initiative)
    initiative.refresh_from_db()
    assert initiative.status == Status.DRAFT
    last = initiative.status_changes.last()
    assert (last.from_status, last.to_status, last.actor) == (Status.SUBMITTED, Status.DRAFT, partner_a)
    assert initiative.status_changes.count() == 3  # draft, submitted, withdrawn
    client.force_login(editor)
    assert initiative.title not in client.get(reverse("review:queue")).content.decode()


def test_a_decided_submission_cannot_be_withdrawn(client, partner_a):
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)
    initiative.status_changes.create(actor=None, from_status=Status.SUBMITTED, to_status=Status.REJECTED)
    Initiative.objects.filter(pk=initiative.pk).update(status=Status.REJECTED)
    client.force_login(partner_a)

    client.post(url("withdraw", initiative))

    initiative.refresh_from_db()
    assert initiative.status == Status.REJECTED


def test_deleting_a_draft_takes_it_off_the_partners_pages_and_keeps_its_history(client, partner_a):
    initiative = factories.make_submission(partner_a, title="Abandoned idea")
    client.force_login(partner_a)
    assert url("delete", initiative) in client.get(url("detail", initiative)).content.decode()

    response = client.post(url("delete", initiative), follow=True)

    assert response.redirect_chain[-1][0] == reverse("submissions:list")
    assert "The draft “Abandoned idea” is deleted." in response.content.decode()
    assert "Abandoned idea" not in client.get(reverse("submissions:list")).content.decode()
    assert client.get(url("detail", initiative)).status_code == 404
    initiative.refresh_from_db()
    assert initiative.status == Status.DELETED
    history = initiative.status_changes.values_list("to_status", flat=True)
    assert list(history) == [Status.DRAFT, Status.DELETED]


def test_a_submission_must_be_withdrawn_before_it_can_be_deleted(client, partner_a):
    initiative = factories.make_submission(partner_a, status=Status.SUBMITTED)
    client.force_login(partner_a)

    client.post(url("delete", initiative))

    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


@pytest.mark.parametrize("step, status", [("withdraw", Status.SUBMITTED), ("delete", Status.DRAFT)])
def test_another_partner_can_neither_see_nor_take_the_step(client, partner_a, partner_b, step, status):
    initiative = factories.make_submission(partner_a, status=status)
    client.force_login(partner_b)

    assert client.get(url(step, initiative)).status_code == 404
    assert client.post(url(step, initiative)).status_code == 404

    initiative.refresh_from_db()
    assert initiative.status == status


@pytest.mark.parametrize("step, status", [("withdraw", Status.SUBMITTED), ("delete", Status.DRAFT)])
def test_anonymous_visitors_are_sent_to_sign_in(client, partner_a, step, status):
    initiative = factories.make_submission(partner_a, status=status)

    response = client.post(url(step, initiative))

    assert response.status_code == 302
    assert reverse("login") in response.url


@pytest.mark.parametrize("step, status", [("withdraw", Status.SUBMITTED), ("delete", Status.DRAFT)])
def test_a_post_without_the_csrf_token_is_refused(partner_a, step, status):
    initiative = factories.make_submission(partner_a, status=status)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(partner_a)

    assert browser.post(url(step, initiative)).status_code == 403

    initiative.refresh_from_db()
    assert initiative.status == status


@pytest.mark.parametrize("step, status", [("withdraw", Status.SUBMITTED), ("delete", Status.DRAFT)])
def test_the_confirmation_page_takes_a_fixed_number_of_queries(
    client, partner_a, step, status, django_assert_num_queries
):
    initiative = factories.make_submission(partner_a, status=status)
    client.force_login(partner_a)

    # The session, the account, its profile (for colleagues' drafts), the submission, and the
    # account's permissions for the header's "Review" link (user and group permissions).
    with django_assert_num_queries(6):
        assert client.get(url(step, initiative)).status_code == 200
