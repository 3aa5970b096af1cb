"""The whole story, through the pages: sign up → confirm the email → save a draft → submit
→ an editor asks for changes → the partner edits and resubmits → the editor publishes →
the initiative is public. Nothing is public before the last step."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from catalogue.models import Initiative, Organisation, Source, StatusChange
from tests import factories


def public_detail(client, initiative):
    client.logout()
    return client.get(reverse("catalogue:initiative-detail", kwargs={"slug": initiative.slug}))


def link_in(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


@pytest.mark.django_db
def test_a_partner_case_goes_from_sign_up_to_the_public_catalogue(
    client, submission_post, editor, vocabulary, django_capture_on_commit_callbacks
):
    # Emails go out once the transaction commits; run those callbacks in each request.
    def post(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    # Sign up: the account is inactive until the emailed link is followed.
    response = post(
        reverse("accounts:signup"),
        {
            "email": "Amina@Example.org",
            "first_name": "Amina",
            "last_name": "Otieno",
            "password1": factories.PARTNER_PASSWORD,
            "password2": factories.PARTNER_PASSWORD,
            "organisation": "",
            "proposed_organisation_name": "Reading Buddy Kenya",
            "nickname": "",
        },
    )
    assert response.status_code == 302
    # Not confirmed yet: the sign-in form is shown again. (Posted, not client.login(): django-axes
    # needs the request to count failures.)
    sign_in = {"username": "amina@example.org", "password": factories.PARTNER_PASSWORD}
    assert client.post(reverse("login"), sign_in).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["amina@example.org"]

    confirm = link_in(mail.outbox[0])
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.status_code == 302
    assert client.get(reverse("submissions:list")).status_code == 200  # signed in by confirming

    # A similar case is already published; the partner is shown it before submitting.
    factories.make_initiative(title="Reading Buddy for rural school", slug="reading-buddy-old")

    response = client.post(
        reverse("submissions:create"),
        submission_post(lead_organisation="", new_organisation_name="Reading Buddy Kenya"),
    )
    initiative = Initiative.objects.get(title="Reading Buddy for rural schools")
    assert response.url == reverse("submissions:detail", kwargs={"pk": initiative.pk})
    assert initiative.status == Initiative.Status.DRAFT
    assert public_detail(client, initiative).status_code == 404
    client.post(reverse("login"), sign_in)

    detail = client.get(response.url)
    assert "Reading Buddy for rural school</a>" in detail.content.decode()  # possible duplicate

    client.post(reverse("submissions:submit", kwargs={"pk": initiative.pk}))
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED
    assert not Initiative.objects.published().filter(pk=initiative.pk).exists()

    # The editor asks for changes; the partner is emailed the note and sees it.
    client.force_login(editor)
    assert initiative.title in client.get(reverse("review:queue")).content.decode()
    review = reverse("review:detail", kwargs={"pk": initiative.pk})
    assert "First review" in client.get(review).content.decode()
    post(review, {"decision": "request_changes", "note": "Please add the number of schools."})
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.CHANGES_REQUESTED
    assert "Please add the number of schools." in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["amina@example.org"]

    client.post(reverse("login"), sign_in)
    assert "Please add the number of schools." in client.get(reverse("submissions:list")).content.decode()
    response = client.post(
        reverse("submissions:edit", kwargs={"pk": initiative.pk}),
        submission_post(
            initial_rows=1,
            lead_organisation="",
            new_organisation_name="Reading Buddy Kenya",
            summary="A speech-recognition tutor for children in 140 schools.",
        ),
    )
    assert response.status_code == 302
    client.post(reverse("submissions:submit", kwargs={"pk": initiative.pk}))
    assert public_detail(client, initiative).status_code == 404

    # The editor sees what changed since the review, and publishes.
    client.force_login(editor)
    page = client.get(review).content.decode()
    assert "What changed since the last review" in page
    assert "A speech-recognition tutor for children in 140 schools." in page
    post(review, {"decision": "publish", "note": ""})

    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED
    assert Initiative.objects.published().filter(pk=initiative.pk).exists()
    assert initiative.lead_organisation == Organisation.objects.get(name="Reading Buddy Kenya")
    assert initiative.citations.get().source == Source.objects.get(title="Reading Buddy annual report 2023")
    assert "published" in mail.outbox[-1].subject.lower()
    response = public_detail(client, initiative)
    assert response.status_code == 200
    assert "Reading Buddy for rural schools" in response.content.decode()
    assert list(initiative.status_changes.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "changes_requested",
        "submitted",
        "published",
    ]
    assert StatusChange.objects.filter(initiative=initiative, actor=editor).count() == 2
