"""The partner's list and the editors' queue: what they show, in what order, in how many
queries, and the account links in the header."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from catalogue.models import Initiative
from tests import factories
from workflow import transitions as workflow
from workflow.views.review import ReviewQueueView

Status = Initiative.Status


@pytest.mark.django_db
def test_the_partner_list_shows_status_and_notes_in_a_fixed_number_of_queries(
    client, partner_a, editor, django_assert_num_queries
):
    for n in range(3):
        initiative = factories.make_submission(partner_a, status=Status.SUBMITTED, title=f"Case {n}")
        workflow.request_changes(initiative, editor, f"Note {n}")
    client.force_login(partner_a)

    # session, user, the user's partner profile (for colleagues' submissions), the user's and
    # their groups' permissions (the header's "Review queue" link), the submissions with lead
    # and proposed organisations, their status changes
    with django_assert_num_queries(7):
        content = client.get(reverse("submissions:list")).content.decode()

    assert all(f"Note {n}" in content for n in range(3))
    assert content.count("Changes requested") == 3


@pytest.mark.django_db
def test_the_review_queue_lists_submitted_cases_oldest_first(
    client, partner_a, editor, django_assert_num_queries
):
    newer = factories.make_submission(partner_a, status=Status.SUBMITTED, title="Newer")
    older = factories.make_submission(partner_a, status=Status.SUBMITTED, title="Older")
    earlier = newer.created_at.replace(year=2020)
    older.status_changes.filter(to_status=Status.SUBMITTED).update(created_at=earlier)
    factories.make_submission(partner_a, title="Still a draft")
    client.force_login(editor)

    # session, user, user and group permissions, page count, sector choices, the page, sectors
    with django_assert_num_queries(8):
        response = client.get(reverse("review:queue"))

    assert [initiative.title for initiative in response.context["submissions"]] == ["Older", "Newer"]


@pytest.mark.django_db
def test_the_review_queue_filters_by_sector(client, partner_a, editor, vocabulary):
    submitted = {"status": Status.SUBMITTED}
    factories.make_submission(partner_a, title="In education", sectors=[vocabulary["sector"]], **submitted)
    factories.make_submission(partner_a, title="Elsewhere", sectors=[factories.make_sector()], **submitted)
    client.force_login(editor)

    response = client.get(reverse("review:queue"), {"sector": "education"})

    assert [initiative.title for initiative in response.context["submissions"]] == ["In education"]


@pytest.mark.django_db
def test_the_review_queue_filters_by_text(client, partner_a, editor):
    factories.make_submission(partner_a, status=Status.SUBMITTED, title="Malaria maps")
    factories.make_submission(partner_a, status=Status.SUBMITTED, title="Reading tutor")
    client.force_login(editor)

    response = client.get(reverse("review:queue"), {"q": "malaria"})

    assert [initiative.title for initiative in response.context["submissions"]] == ["Malaria maps"]


def render_nav(user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("partials/account_nav.html", {"user": user}, request=request)


@pytest.mark.django_db
def test_account_links_for_an_editor_include_the_review_queue(editor):
    nav = render_nav(editor)

    assert reverse("review:queue") in nav
    assert reverse("submissions:list") in nav
    assert 'method="post" action="/accounts/logout/"' in nav


@pytest.mark.django_db
def test_account_links_for_a_partner_leave_out_the_review_queue(partner_a):
    assert reverse("review:queue") not in render_nav(partner_a)


def test_account_links_for_visitors_offer_sign_in_and_sign_up():
    from django.contrib.auth.models import AnonymousUser

    nav = render_nav(AnonymousUser())

    assert reverse("login") in nav
    assert reverse("accounts:signup") in nav


@pytest.mark.django_db
def test_the_queue_pages_keep_the_filters_and_link_back(client, editor, partner_a, monkeypatch):
    for n in range(3):
        factories.make_submission(partner_a, status=Status.SUBMITTED, title=f"Reading case {n}")
    factories.make_submission(partner_a, status=Status.SUBMITTED, title="Other")
    client.force_login(editor)
    monkeypatch.setattr(ReviewQueueView, "paginate_by", 2)

    first = client.get(reverse("review:queue"), {"q": "Reading"}).content.decode()
    second = client.get(reverse("review:queue"), {"q": "Reading", "page": 2}).content.decode()

    assert 'href="?q=Reading&amp;page=2" rel="next"' in first
    assert 'href="?q=Reading&amp;page=1" rel="prev"' in second
    assert "Reading case" in second
    assert "Other" not in second
