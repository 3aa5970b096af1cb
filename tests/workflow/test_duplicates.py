"""An editor closes a submission as a duplicate of a published case: the partner is told, with
a link to that case and a way to propose additions to it."""

import pytest
from django.urls import reverse

from catalogue.models import Initiative
from tests import factories

Status = Initiative.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def original(db):
    return factories.make_initiative(slug="ai-for-safer-children", title="AI for Safer Children")


@pytest.fixture
def repeat(partner_a):
    return factories.make_submission(partner_a, status=Status.SUBMITTED, title="AI for safer children!")


def mark(client, submission, **data):
    fields = {f"duplicate-{name}": value for name, value in data.items()}
    return client.post(reverse("review:duplicate", args=[submission.pk]), fields)


def test_an_editor_closes_a_submission_as_a_duplicate_of_a_published_case(
    client, editor, original, repeat, partner_a, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = mark(client, repeat, case="ai-for-safer-children", note="Same project as ours.")

    assert response.status_code == 302
    repeat.refresh_from_db()
    assert repeat.status == Status.DUPLICATE
    assert repeat.duplicate_of == original
    change = repeat.status_changes.last()
    assert (change.from_status, change.to_status, change.note, change.actor) == (
        Status.SUBMITTED,
        Status.DUPLICATE,
        "Same project as ours.",
        editor,
    )
    [mail] = mailoutbox
    assert mail.to == [partner_a.email]
    # links start where the editor's request came to (casebook/site.py): the test client's host
    assert "http://testserver/initiatives/ai-for-safer-children/" in mail.body
    assert "/submit/?additions_to=ai-for-safer-children" in mail.body


def test_the_case_can_be_given_by_its_address(client, editor, original, repeat):
    client.force_login(editor)

    mark(client, repeat, case="https://casebook.example.org/initiatives/ai-for-safer-children/")

    repeat.refresh_from_db()
    assert repeat.duplicate_of == original


def test_the_case_can_be_picked_from_the_similar_ones_on_the_review_page(client, editor, original, repeat):
    client.force_login(editor)

    page = client.get(reverse("review:detail", args=[repeat.pk])).content.decode()
    mark(client, repeat, similar="ai-for-safer-children")

    assert 'value="ai-for-safer-children"' in page
    repeat.refresh_from_db()
    assert repeat.duplicate_of == original


@pytest.mark.parametrize("case", ["no-such-case", "a-draft", ""])
def test_an_unknown_or_unpublished_case_is_a_form_error(client, editor, partner_a, repeat, case):
    factories.make_submission(partner_a, slug="a-draft")
    client.force_login(editor)

    response = mark(client, repeat, case=case)

    assert response.status_code == 200
    assert response.context["duplicate_form"].errors
    repeat.refresh_from_db()
    assert repeat.status == Status.SUBMITTED


def test_a_partner_cannot_close_a_submission_as_a_duplicate(client, partner_a, original, repeat):
    client.force_login(partner_a)

    response = mark(client, repeat, case="ai-for-safer-children")

    assert response.status_code == 403
    repeat.refresh_from_db()
    assert repeat.status == Status.SUBMITTED


def test_the_partner_page_links_to_the_case_and_to_proposing_additions(
    client, editor, partner_a, original, repeat
):
    client.force_login(editor)
    mark(client, repeat, case="ai-for-safer-children")
    client.force_login(partner_a)

    page = client.get(reverse("submissions:detail", args=[repeat.pk])).content.decode()

    assert "Closed as a duplicate" in page
    assert 'href="/initiatives/ai-for-safer-children/"' in page
    assert 'href="/submit/?additions_to=ai-for-safer-children"' in page


def test_proposing_additions_starts_a_form_naming_the_case(client, partner_a, original):
    client.force_login(partner_a)

    response = client.get("/submit/", {"additions_to": "ai-for-safer-children"}, follow=True)

    form = response.context["form"]
    assert form.initial["title"] == "Additions to: AI for Safer Children"
    assert form.initial["lead_organisation"] == original.lead_organisation_id
    assert 'href="/initiatives/ai-for-safer-children/"' in response.content.decode()


def test_the_api_names_the_case_a_submission_duplicates(
    client, editor, partner_a, original, repeat, api_client_for
):
    client.force_login(editor)
    mark(client, repeat, case="ai-for-safer-children")

    record = api_client_for(partner_a).get(f"/api/v1/submissions/{repeat.pk}/").json()

    assert (record["status"], record["duplicate_of"]) == ("duplicate", "ai-for-safer-children")
