"""The submission form's optional "As a tool" section (issue 14): what a partner says of the
tool reaches the editor's review and, once published, the case page, the API and the filters."""

import pytest
from django.urls import reverse

from catalogue.models import Initiative, Task, ToolProfile
from tests import factories

pytestmark = pytest.mark.django_db

TOOL = {
    "tool-tasks": [],  # filled in by the fixture, as the Task records' ids
    "tool-inputs": "Images seized under a warrant.",
    "tool-deployment": "on-premises",
    "tool-licence": "free-to-eligible-agencies",
    "tool-languages": "English, Swahili",
    "tool-available_to": "Police units of the East African Community.",
    "tool-access": "Write to the project through its website.",
    "safeguards-0-kind": "human-review",
    "safeguards-0-description": "An analyst confirms every match.",
    "safeguards-0-evidence": "Operating manual, section 3.",
}


@pytest.fixture
def tool_post(submission_post):
    def build(**overrides):
        tasks = [task.pk for task in Task.objects.filter(slug__in=["detection", "victim-identification"])]
        return submission_post(**{**TOOL, "tool-tasks": tasks, **overrides})

    return build


def test_a_partners_tool_goes_through_review_to_the_published_record(
    client, partner_a, editor, tool_post, django_capture_on_commit_callbacks
):
    client.force_login(partner_a)
    response = client.post(reverse("submissions:create"), tool_post())
    assert response.status_code == 302
    initiative = Initiative.objects.get(title="Reading Buddy for rural schools")
    profile = initiative.tool_profile
    assert sorted(profile.tasks.values_list("slug", flat=True)) == ["detection", "victim-identification"]
    assert (profile.deployment, profile.licence) == ("on-premises", "free-to-eligible-agencies")
    assert [(s.kind, s.description, s.evidence) for s in profile.safeguards.all()] == [
        ("human-review", "An analyst confirms every match.", "Operating manual, section 3.")
    ]
    assert client.get(f"/api/v1/initiatives/{initiative.slug}/").status_code == 404  # a draft
    client.post(reverse("submissions:submit", kwargs={"pk": initiative.pk}))

    client.force_login(editor)
    review = reverse("review:detail", kwargs={"pk": initiative.pk})
    page = client.get(review).content.decode()
    assert "As a tool" in page
    assert "Police units of the East African Community." in page
    assert "An analyst confirms every match." in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review, {"decision": "publish", "note": ""})
    client.logout()

    tool = client.get(f"/api/v1/initiatives/{initiative.slug}/").json()["tool_profile"]
    assert tool["deployment"] == "on-premises"
    assert tool["access"] == "Write to the project through its website."
    assert tool["safeguards"][0]["description"] == "An analyst confirms every match."
    listed = client.get(
        "/api/v1/initiatives/", {"task": "victim-identification", "licence": "free-to-eligible-agencies"}
    )
    assert [row["slug"] for row in listed.json()["results"]] == [initiative.slug]
    assert "Swahili" in client.get(initiative.get_absolute_url()).content.decode()


def test_the_edit_form_shows_the_saved_tool_and_emptying_it_removes_the_profile(client, partner_a, tool_post):
    client.force_login(partner_a)
    client.post(reverse("submissions:create"), tool_post())
    initiative = Initiative.objects.get(title="Reading Buddy for rural schools")
    edit = reverse("submissions:edit", kwargs={"pk": initiative.pk})

    html = client.get(edit).content.decode()
    assert "Police units of the East African Community." in html
    assert 'value="An analyst confirms every match."' in html
    assert '<div class="as-a-tool" id="tool-fields">' in html  # shown, not behind its button

    emptied = {name: "" for name in TOOL} | {"tool-tasks": []}
    emptied["safeguards-0-DELETE"] = "on"
    response = client.post(edit, tool_post(**emptied, **{"safeguards-INITIAL_FORMS": "1"}))
    assert response.status_code == 302
    assert not ToolProfile.objects.filter(initiative=initiative).exists()


def test_a_form_without_a_tool_saves_no_profile(client, partner_a, submission_post):
    client.force_login(partner_a)
    client.post(reverse("submissions:create"), submission_post())
    assert not ToolProfile.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tool-deployment": "satellite"}, "id_tool-deployment"),
        ({"tool-licence": "stolen"}, "id_tool-licence"),
        ({"tool-tasks": ["999999"]}, "id_tool-tasks_0"),
        ({"safeguards-0-kind": "prayer"}, "id_safeguards-0-kind"),
    ],
)
def test_a_bad_tool_value_is_a_form_error_and_saves_nothing(client, partner_a, tool_post, overrides, field):
    client.force_login(partner_a)
    response = client.post(reverse("submissions:create"), tool_post(**overrides))

    assert response.status_code == 200
    assert f'href="#{field}"' in response.content.decode()  # the error summary links to it
    assert not Initiative.objects.exists()


def test_a_safeguard_without_a_tool_asks_for_the_tool_first(client, partner_a, tool_post):
    client.force_login(partner_a)
    no_tool = {name: "" for name in TOOL if name.startswith("tool-")} | {"tool-tasks": []}
    response = client.post(reverse("submissions:create"), tool_post(**no_tool))

    assert response.status_code == 200
    assert "Safeguards describe a tool" in response.content.decode()
    assert not Initiative.objects.exists()


def test_the_editor_sees_a_changed_tool_since_the_last_review(client, partner_a, editor, tool_post):
    draft = factories.make_submission(partner_a, status=Initiative.Status.SUBMITTED)
    client.force_login(editor)
    review = reverse("review:detail", kwargs={"pk": draft.pk})
    client.post(review, {"decision": "request_changes", "note": "Say how it is deployed."})
    client.force_login(partner_a)
    response = client.post(
        reverse("submissions:edit", kwargs={"pk": draft.pk}),
        tool_post(title=draft.title, summary=draft.summary),
    )
    assert response.status_code == 302
    client.post(reverse("submissions:submit", kwargs={"pk": draft.pk}))

    client.force_login(editor)
    page = client.get(review).content.decode()
    assert "What changed since the last review" in page
    assert "Deployment: On premises" in page


def test_a_new_form_shows_one_button_for_the_tool_fields_which_shows_them_without_scripts(
    client, partner_a, submission_post
):
    client.force_login(partner_a)
    new = client.get(reverse("submissions:create"), follow=True).content.decode()
    assert '<div class="as-a-tool" id="tool-fields" hidden>' in new
    assert 'name="show_tool"' in new

    response = client.post(reverse("submissions:create"), submission_post(show_tool="1", title="Typed"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="as-a-tool" id="tool-fields">' in html
    assert 'name="show_tool"' not in html
    assert 'value="Typed"' in html
    assert not Initiative.objects.exists()  # shown again, not saved
