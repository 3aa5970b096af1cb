"""Tool profiles in the API (issue 14): additive fields of v1, the detail's `tool_profile`, the
list rows' `tasks`, `deployment` and `licence`, and the same in the CSV."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Safeguard, ToolProfile

pytestmark = pytest.mark.django_db

LIST = "/api/v1/initiatives/"


@pytest.fixture
def detector(make_initiative, make_tool_profile, make_source):
    source = make_source(slug="webinar", title="The webinar")
    return make_tool_profile(
        make_initiative(slug="detector", title="Detector"),
        tasks=["detection", "triage"],
        inputs="Seized images and videos.",
        deployment=ToolProfile.Deployment.ON_PREMISES,
        licence=ToolProfile.Licence.FREE_TO_ELIGIBLE,
        languages="English, Arabic",
        available_to="Law enforcement agencies.",
        access="Ask through your national police liaison.",
        location="Paragraph 4",
        safeguards=[
            {
                "kind": Safeguard.Kind.HUMAN_REVIEW,
                "description": "Every match is checked by an officer.",
                "evidence": "“an officer checks every match”",
                "source": source,
                "location": "Paragraph 5",
            },
            {"kind": Safeguard.Kind.DATA_PROTECTION, "description": "Images never leave the agency."},
        ],
    )


def test_the_detail_describes_the_tool(client, detector):
    profile = client.get(f"{LIST}detector/").json()["tool_profile"]

    assert profile == {
        "tasks": [
            {
                "slug": "detection",
                "name": "Detection",
                "url": "http://testserver/api/v1/initiatives/?task=detection",
            },
            {"slug": "triage", "name": "Triage", "url": "http://testserver/api/v1/initiatives/?task=triage"},
        ],
        "inputs": "Seized images and videos.",
        "deployment": "on-premises",
        "licence": "free-to-eligible-agencies",
        "languages": "English, Arabic",
        "available_to": "Law enforcement agencies.",
        "access": "Ask through your national police liaison.",
        "location": "Paragraph 4",
        "safeguards": [
            {
                "kind": "human-review",
                "description": "Every match is checked by an officer.",
                "evidence": "“an officer checks every match”",
                "source": {
                    "slug": "webinar",
                    "name": "The webinar",
                    "url": "http://testserver/api/v1/sources/webinar/",
                },
                "location": "Paragraph 5",
            },
            {
                "kind": "data-protection",
                "description": "Images never leave the agency.",
                "evidence": "",
                "source": None,
                "location": "",
            },
        ],
    }


def test_an_initiative_that_is_no_tool_has_a_null_profile(client, make_initiative):
    make_initiative(slug="programme")
    assert client.get(f"{LIST}programme/").json()["tool_profile"] is None


def test_a_profile_without_deployment_or_licence_says_null(client, make_initiative, make_tool_profile):
    make_tool_profile(make_initiative(slug="hub"), available_to="Law enforcement.")
    row = client.get(LIST).json()["results"][0]
    assert (row["tasks"], row["deployment"], row["licence"]) == ([], None, None)
    assert client.get(f"{LIST}hub/").json()["tool_profile"]["deployment"] is None


def test_the_list_row_gives_the_tasks_deployment_and_licence(client, detector, make_initiative):
    make_initiative(slug="programme")
    rows = {row["slug"]: row for row in client.get(LIST).json()["results"]}

    assert [task["slug"] for task in rows["detector"]["tasks"]] == ["detection", "triage"]
    assert rows["detector"]["deployment"] == "on-premises"
    assert rows["detector"]["licence"] == "free-to-eligible-agencies"
    assert (rows["programme"]["tasks"], rows["programme"]["deployment"]) == ([], None)


def test_the_csv_gives_the_same_cells_read_by_the_csv_module(client, detector, make_initiative):
    make_initiative(slug="programme")
    response = client.get(LIST, {"format": "csv"})
    rows = {
        row["slug"]: row for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    }

    assert rows["detector"]["tasks"] == "detection; triage"
    assert rows["detector"]["deployment"] == "on-premises"
    assert rows["detector"]["licence"] == "free-to-eligible-agencies"
    assert rows["programme"]["tasks"] == rows["programme"]["deployment"] == rows["programme"]["licence"] == ""


def test_the_list_costs_the_same_queries_for_one_tool_and_for_twenty(
    client, make_initiative, make_tool_profile
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, {"ordering": "title"}).status_code == 200
        return len(captured)

    make_tool_profile(
        make_initiative(slug="tool-00", title="Tool 00"), tasks=["detection"], deployment="cloud"
    )
    one = queries()
    for number in range(1, 20):
        make_tool_profile(
            make_initiative(slug=f"tool-{number:02}", title=f"Tool {number:02}"),
            tasks=["triage", "prosecution"],
            licence="commercial",
        )
    assert queries() == one


def test_the_schema_describes_the_new_fields(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert {"tasks", "deployment", "licence"} <= set(components["Initiative"]["properties"])
    assert "tool_profile" in components["InitiativeDetail"]["properties"]
    assert "safeguards" in components["ToolProfile"]["properties"]
