"""The conversation and the editors' corrections through the API: a partner's tool reads them
with the submission and answers with POST /api/v1/submissions/<id>/comments/, as the
submission page does."""

import pytest
from django.core import mail

from catalogue.models import Initiative, SubmissionComment
from tests import factories
from workflow import transitions

pytestmark = pytest.mark.django_db


def comments_url(initiative):
    return f"/api/v1/submissions/{initiative.pk}/comments/"


@pytest.fixture
def submitted(partner_a, vocabulary):
    return factories.make_submission(partner_a, status=Initiative.Status.SUBMITTED, title="Reading Budy")


def test_a_partner_answers_an_editor_and_reads_the_conversation_with_the_submission(
    api_client_for, partner_a, editor, submitted, django_capture_on_commit_callbacks
):
    transitions.add_comment(submitted, editor, "Which schools?", field="summary", by_editor=True)
    transitions.claim(submitted, editor)
    api = api_client_for(partner_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(comments_url(submitted), {"body": "Forty schools in Kisumu."}, format="json")

    assert response.status_code == 201
    assert response.json()["body"] == "Forty schools in Kisumu."
    assert response.json()["by_editor"] is False
    conversation = api.get(f"/api/v1/submissions/{submitted.pk}/").json()["comments"]
    assert [(c["body"], c["by_editor"], c["field"]) for c in conversation] == [
        ("Which schools?", True, "summary"),
        ("Forty schools in Kisumu.", False, ""),
    ]
    # the editor who has the case is told, as when the partner answers on the page
    assert any(m.to == [editor.email] and "Forty schools in Kisumu." in m.body for m in mail.outbox)
    # answering does not change the case
    assert Initiative.objects.get(pk=submitted.pk).status == Initiative.Status.SUBMITTED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": 42}, "body"),
        ({}, "body"),
        ({"body": "x" * 4001}, "body"),
        ({"body": "Fine.", "field": "colour"}, "field"),
    ],
)
def test_a_bad_comment_is_a_400_naming_the_field_and_nothing_is_stored(
    api_client_for, partner_a, submitted, body, field
):
    response = api_client_for(partner_a).post(comments_url(submitted), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not SubmissionComment.objects.exists()


def test_another_partners_submission_cannot_be_commented_on(api_client_for, partner_b, submitted):
    response = api_client_for(partner_b).post(comments_url(submitted), {"body": "Hello"}, format="json")

    assert response.status_code == 404
    assert not SubmissionComment.objects.exists()


def test_without_a_token_a_comment_is_refused(api_client_for, submitted):
    response = api_client_for(None).post(comments_url(submitted), {"body": "Hello"}, format="json")

    assert response.status_code == 401


def test_the_editors_corrections_come_with_the_submission(api_client_for, partner_a, editor, submitted):
    initiative = Initiative.objects.for_submission().get(pk=submitted.pk)
    transitions.edit_submission(
        initiative, editor, {"title": "Reading Buddy"}, version=transitions.content_version(initiative)
    )

    data = api_client_for(partner_a).get(f"/api/v1/submissions/{submitted.pk}/").json()

    assert [(c["field"], c["before"], c["after"]) for c in data["corrections"]] == [
        ("title", "Reading Budy", "Reading Buddy")
    ]
    assert data["title"] == "Reading Buddy"
