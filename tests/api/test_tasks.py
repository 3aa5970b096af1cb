"""Tasks, the tool profiles' vocabulary: list and detail by slug, like the other vocabularies,
each with its count of published initiatives whose profile supports it."""

import pytest

from catalogue.models import Initiative, Task
from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def tools(make_initiative, make_tool_profile):
    """Two published tools for triage (one also for detection), a draft one, a members-only
    one, and a case that is no tool."""
    make_tool_profile(make_initiative(slug="sorter"), tasks=["triage", "detection"])
    make_tool_profile(make_initiative(slug="ranker"), tasks=["triage"])
    make_tool_profile(make_initiative(slug="draft-tool", status=Initiative.Status.DRAFT), tasks=["triage"])
    restricted = make_initiative(slug="restricted-tool", status=Initiative.Status.MEMBERS_ONLY)
    make_tool_profile(restricted, tasks=["triage"])
    make_initiative(slug="no-tool")


def test_the_task_list_counts_only_published_initiatives(client, tools):
    response = client.get("/api/v1/tasks/")

    assert response.status_code == 200
    counts = {row["slug"]: row["initiative_count"] for row in response.json()["results"]}
    expected = {"triage": 2, "detection": 1}
    assert counts == {task.slug: expected.get(task.slug, 0) for task in Task.objects.all()}
    assert [row["slug"] for row in response.json()["results"]] == list(
        Task.objects.values_list("slug", flat=True)
    )  # in an investigation's order


def test_task_detail(client, tools):
    response = client.get("/api/v1/tasks/triage/")

    assert response.status_code == 200
    task = Task.objects.get(slug="triage")
    assert response.json() == {
        "slug": "triage",
        "url": "http://testserver/api/v1/tasks/triage/",
        "html_url": f"http://testserver{task.get_absolute_url()}",
        "name": task.name,
        "name_zh": task.name_zh,
        "description": task.description,
        "initiative_count": 2,
        "initiatives": "http://testserver/api/v1/initiatives/?task=triage",
        "translations": {"zh-hans": {"name": task.name_zh, "origin": "editorial"}},
        "name_zh_origin": task.name_zh_origin,
        "position": task.position,
    }


def test_a_tasks_initiatives_link_lists_what_its_count_counts(client, tools):
    task = client.get("/api/v1/tasks/triage/").json()

    assert slugs(client.get(task["initiatives"])) == ["ranker", "sorter"]


def test_an_unknown_task_is_a_404_json(client, tools):
    response = client.get("/api/v1/tasks/no-such-task/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Task matches the given query."}


def test_the_schema_describes_the_task_endpoints(client):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]

    assert {"/api/v1/tasks/", "/api/v1/tasks/{slug}/"} <= set(paths)


@pytest.mark.parametrize("page_size", [1, 100])
def test_the_task_list_costs_the_same_queries_for_any_page_size(
    client, tools, page_size, django_assert_num_queries
):
    # catalogue state for the ETag, count, the page with each task's initiative count
    with django_assert_num_queries(3):
        client.get("/api/v1/tasks/", {"page_size": page_size})
