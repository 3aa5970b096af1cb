"""A task's page lists the published tools that support it, like a sector's page lists its
cases; /tasks/ lists every task with its count."""

import pytest

from catalogue.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tools():
    factories.make_tool_profile(
        factories.make_initiative(title="Image sorter"), tasks=["triage", "detection"]
    )
    factories.make_tool_profile(factories.make_initiative(title="Chat flagger"), tasks=["detection"])
    factories.make_tool_profile(
        factories.make_initiative(title="Draft ranker", status=Initiative.Status.DRAFT), tasks=["triage"]
    )
    factories.make_tool_profile(
        factories.make_initiative(title="Restricted ranker", status=Initiative.Status.MEMBERS_ONLY),
        tasks=["triage"],
    )


def test_a_task_page_lists_the_published_tools_that_support_it(client, tools):
    response = client.get("/tasks/triage/")

    assert response.status_code == 200
    assert [initiative.title for initiative in response.context["initiatives"]] == ["Image sorter"]
    page = response.content.decode()
    assert "Chat flagger" not in page and "Draft ranker" not in page and "Restricted ranker" not in page
    assert 'href="/initiatives/?task=triage"' in page  # refine them in the list


def test_an_unknown_task_is_a_404(client, tools):
    assert client.get("/tasks/no-such-task/").status_code == 404


def test_the_task_index_counts_each_tasks_published_tools(client, tools):
    response = client.get("/tasks/")

    counts = {task.slug: task.initiative_count for task in response.context["records"]}
    assert (counts["triage"], counts["detection"], counts["prosecution"]) == (1, 2, 0)
    assert 'href="/tasks/triage/"' in response.content.decode()


def test_a_task_page_runs_a_fixed_number_of_queries(client, tools, django_assert_num_queries):
    # the data version (the page cache's key); the task; the total; a page of cards with their
    # lead organisations and tool profiles; their sectors and technologies in one query
    with django_assert_num_queries(5):
        client.get("/tasks/detection/")
