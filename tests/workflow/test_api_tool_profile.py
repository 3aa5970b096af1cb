"""A submission's tool profile through the API (issue 14): the rules of the form's section 7."""

import pytest

from catalogue.models import Initiative, ToolProfile

pytestmark = pytest.mark.django_db

LIST = "/api/v1/submissions/"
TOOL = {
    "tasks": ["detection", "triage"],
    "deployment": "cloud",
    "licence": "commercial",
    "available_to": "Police forces.",
    "safeguards": [
        {"kind": "bias-testing", "description": "Tested on a balanced set.", "evidence": "Audit 2024."}
    ],
}


@pytest.fixture
def api_a(api_client_for, partner_a):
    return api_client_for(partner_a)


def test_a_submission_carries_its_tool_profile(api_a, api_payload):
    response = api_a.post(LIST, api_payload(tool_profile=TOOL), format="json")

    assert response.status_code == 201, response.content
    tool = response.json()["tool_profile"]
    assert tool["tasks"] == ["detection", "triage"]
    assert (tool["deployment"], tool["licence"], tool["inputs"]) == ("cloud", "commercial", "")
    assert tool["safeguards"] == [
        {"kind": "bias-testing", "description": "Tested on a balanced set.", "evidence": "Audit 2024."}
    ]
    profile = Initiative.objects.get(pk=response.json()["id"]).tool_profile
    assert profile.available_to == "Police forces."


def test_a_submission_without_a_tool_says_null_and_a_put_without_one_removes_it(api_a, api_payload):
    created = api_a.post(LIST, api_payload(tool_profile=TOOL), format="json").json()
    assert api_a.post(LIST, api_payload(title="Another"), format="json").json()["tool_profile"] is None

    replaced = api_a.put(f"{LIST}{created['id']}/", api_payload(), format="json")

    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["tool_profile"] is None
    assert not ToolProfile.objects.exists()


@pytest.mark.parametrize(
    ("tool", "field"),
    [
        ({"deployment": "satellite"}, "deployment"),
        ({"licence": "stolen"}, "licence"),
        ({"tasks": ["hacking"]}, "tasks"),
        ({"safeguards": [{"kind": "bias-testing", "description": "Tested."}]}, "safeguards"),
        ({**TOOL, "safeguards": [{"kind": "prayer", "description": "Hope."}]}, "safeguards"),
    ],
)
def test_bad_tool_input_is_a_400_naming_the_field(api_a, api_payload, tool, field):
    response = api_a.post(LIST, api_payload(tool_profile=tool), format="json")

    assert response.status_code == 400
    assert field in response.json()["tool_profile"]
    assert not Initiative.objects.exists()


def test_an_empty_tool_profile_is_no_profile_not_a_server_error(api_a, api_payload):
    # schemathesis sent {} and {"tasks": []}: both were a 500 (the nested serializer said None)
    for empty in [{}, {"tasks": [], "safeguards": []}]:
        response = api_a.post(
            LIST, api_payload(tool_profile=empty, title=f"Empty {len(empty)}"), format="json"
        )
        assert response.status_code == 201, response.content
        assert response.json()["tool_profile"] is None
