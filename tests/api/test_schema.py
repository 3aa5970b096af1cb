"""The OpenAPI document at /api/v1/schema/: valid, and describing every parameter."""

import io

import pytest
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

from catalogue.facets import FACETS
from catalogue.filters import InitiativeFilterSet, OrganisationFilterSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def parameters(schema, path):
    return {parameter["name"]: parameter for parameter in schema["paths"][path]["get"]["parameters"]}


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document


def test_schema_generates_without_warnings():
    # drf-spectacular warns when it has to guess a type; --fail-on-warn makes a guess an error
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO())


def test_schema_describes_every_endpoint(schema):
    assert set(schema["paths"]) == {
        "/api/v1/",
        *(
            f"/api/v1/{name}/{suffix}"
            for name, lookup in [
                ("initiatives", "{slug}"),
                ("organisations", "{slug}"),
                ("sectors", "{slug}"),
                ("technologies", "{slug}"),
                ("tasks", "{slug}"),
                ("beneficiaries", "{slug}"),
                ("requirements", "{number}"),
                ("sources", "{slug}"),
                ("publications", "{slug}"),
            ]
            for suffix in ["", f"{lookup}/"]
        ),
        "/api/v1/initiatives/removed/",
        "/api/v1/initiatives/similar/",
        "/api/v1/organisations/near/",
        "/api/v1/submissions/",
        "/api/v1/submissions/{id}/",
        "/api/v1/submissions/{id}/submit/",
        "/api/v1/submissions/{id}/comments/",
    }


def submission_operations(schema):
    return {
        (method, path): operation
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1/submissions/")
        for method, operation in operations.items()
    }


def test_submissions_need_a_token_and_reading_the_catalogue_does_not(schema):
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    # The scheme generated clients implement (`Authorization: Bearer <key>`); `Token` works too.
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "Token" in scheme["description"]
    submissions = submission_operations(schema)
    for operation in submissions.values():
        assert operation["security"] == [{"tokenAuth": []}]
    # Reading states no security at all, so the docs show no lock on it (`[{"cookieAuth": []},
    # {}]`, "a session or nothing", drew a lock on every operation).
    reads = [
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if (method, path) not in submissions and "security" in operation
    ]
    assert reads == []
    assert list(schema["components"]["securitySchemes"]) == ["tokenAuth"]


def test_submission_operations_describe_their_statuses(schema):
    statuses = {key: set(operation["responses"]) for key, operation in submission_operations(schema).items()}

    assert statuses == {
        ("get", "/api/v1/submissions/"): {"200", "400", "401", "404", "406"},
        ("post", "/api/v1/submissions/"): {"200", "201", "400", "401", "409", "415"},
        ("get", "/api/v1/submissions/{id}/"): {"200", "400", "401", "404", "406"},
        ("put", "/api/v1/submissions/{id}/"): {"200", "400", "401", "403", "404", "415"},
        ("post", "/api/v1/submissions/{id}/submit/"): {"200", "401", "403", "404", "429"},
        ("post", "/api/v1/submissions/{id}/comments/"): {"201", "400", "401", "403", "404", "415"},
    }


def test_creating_a_submission_takes_an_optional_idempotency_key_and_shows_an_example(schema):
    create = schema["paths"]["/api/v1/submissions/"]["post"]

    (key,) = [parameter for parameter in create["parameters"] if parameter["name"] == "Idempotency-Key"]
    assert key["in"] == "header"
    assert not key.get("required", False)
    body = create["requestBody"]
    assert body["required"] is True
    assert set(body["content"]) == {"application/json"}
    assert body["content"]["application/json"]["examples"]


def test_submitting_takes_no_body(schema):
    assert "requestBody" not in schema["paths"]["/api/v1/submissions/{id}/submit/"]["post"]


@pytest.mark.parametrize(
    ("path", "filterset"),
    [("/api/v1/initiatives/", InitiativeFilterSet), ("/api/v1/organisations/", OrganisationFilterSet)],
)
def test_every_filter_is_a_parameter_that_may_be_empty(schema, path, filterset):
    documented = parameters(schema, path)

    for name in filterset.base_filters:
        assert name in documented, name
        assert documented[name]["in"] == "query"
        assert documented[name]["allowEmptyValue"] is True


def test_filter_parameters_have_the_types_the_api_accepts(schema):
    documented = parameters(schema, "/api/v1/initiatives/")

    assert documented["children_focus"]["schema"] == {"type": "boolean"}
    assert documented["updated_since"]["schema"] == {"type": "string", "format": "date-time"}
    assert documented["year_min"]["schema"] == documented["year_max"]["schema"] == {"type": "integer"}
    assert documented["q"]["schema"] == {"type": "string"}
    assert documented["requirement"]["schema"] == {
        "type": "array",
        "items": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 9}, {"type": "string"}]},
    }
    assert "number or slug" in documented["requirement"]["description"]


def test_facets_page_size_and_format_are_described(schema):
    documented = parameters(schema, "/api/v1/initiatives/")

    assert documented["facets"]["schema"]["items"]["enum"] == sorted(FACETS)
    assert documented["page_size"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 20,
    }
    assert documented["format"]["schema"]["enum"] == ["csv", "json"]
    assert documented["page"]["schema"]["type"] == "integer"


def test_slug_filters_are_repeatable_strings(schema):
    sector = parameters(schema, "/api/v1/initiatives/")["sector"]

    assert sector["schema"] == {"type": "array", "items": {"type": "string"}}
    assert sector["explode"] is True


def test_list_responses_describe_json_csv_and_errors(schema):
    responses = schema["paths"]["/api/v1/initiatives/"]["get"]["responses"]

    assert set(responses) == {"200", "304", "400", "404", "406", "429"}
    assert set(responses["200"]["content"]) == {"application/json", "text/csv"}
    page = schema["components"]["schemas"]["InitiativePage"]
    assert set(page["properties"]) == {"count", "next", "previous", "results", "facets", "facets_truncated"}
    assert page["required"] == ["count", "next", "previous", "results"]


def submission_input(schema):
    return schema["components"]["schemas"]["SubmissionRequest"]["properties"]


def test_the_submission_schema_states_its_list_limits(schema):
    fields = submission_input(schema)

    assert fields["sectors"]["minItems"] == 1
    assert fields["key_figures"]["maxItems"] == 10
    assert fields["requirements"]["maxItems"] == 9
    assert fields["sources"]["maxItems"] == 10


def test_the_submission_schema_states_the_start_year_range(schema):
    start_year = submission_input(schema)["start_year"]

    assert start_year["minimum"] == 1950
    assert start_year["maximum"] >= 2027


@pytest.mark.parametrize(
    ("method", "path"), [("post", "/api/v1/submissions/"), ("put", "/api/v1/submissions/{id}/")]
)
def test_a_submission_400_is_described_as_an_object_of_field_errors(schema, method, path):
    error = schema["paths"][path][method]["responses"]["400"]["content"]["application/json"]["schema"]

    def arrays(node):
        if isinstance(node, dict):
            if node.get("type") == "array":
                yield node
            for value in node.values():
                yield from arrays(value)
        elif isinstance(node, list):
            for value in node:
                yield from arrays(value)

    assert error["type"] == "object"
    assert all("items" in array for array in arrays(error))  # no bare {"type": "array"}
