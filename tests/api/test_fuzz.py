"""Schema-driven fuzzing: schemathesis generates requests from /api/v1/schema/, valid ones and
invalid ones, sends them to the live test server holding the shipped catalogue, and checks
each answer with every check schemathesis has (its `--checks all`): no 5xx, status code,
content type, headers and body as the schema describes, invalid input refused with a 4xx,
valid input accepted, authentication not ignored, a missing required header refused, an
unsupported method answered 405 with `Allow`.

Every operation of a path is fuzzed (GET, and POST and PUT for submissions). Submissions are
sent with a partner's token, so that requests get past authentication to the validation and
the workflow; the partner owns a draft whose id is sometimes used, so that reading, replacing
and submitting an existing submission are fuzzed too, not only 404s.

schemathesis's own pytest loader (`schemathesis.pytest.from_fixture`) does not run under
pytest 9.2, so each endpoint's strategy is driven with Hypothesis directly.
"""

import os
import re

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks

from tests import factories

# Examples per operation and mode: enough to try each parameter and field a few times while the
# whole run stays near a minute on two cores; FUZZ_EXAMPLES=100 searches harder.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))

PATHS = sorted(SchemaGenerator().get_schema(request=None, public=True)["paths"])


@pytest.fixture
def api_schema(live_server, transactional_db, shipped_catalogue, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "token": "100000/minute"},
    }
    # Otherwise the partner's hourly limit turns every POST after the tenth into a 429.
    settings.SUBMISSIONS_PER_HOUR = 100000
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")


@pytest.fixture
def partner(api_schema, settings):
    """A partner with a draft, whose token schemathesis sends to the submissions endpoints
    (except in the negative cases that leave the token out, which must get a 401)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = factories.make_partner("fuzz@example.org")
    user.draft = factories.make_submission(user, lead_organisation=None)
    token = factories.make_api_token(user)

    @api_schema.auth(refresh_interval=None).apply_to(path_regex="^/api/v1/submissions/")
    class PartnerToken:
        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    return user


# Complaints about values a schema cannot rule out, each stated in the field's description:
# a well-formed slug or id naming no record (the schema cannot list every slug), a NUL
# character (no text column stores one), and the rules across fields (a lead organisation or a
# proposed one, not both; a source's URL or reference; each requirement once).
TOLERATED = re.compile(
    "|".join(
        [
            "does not exist",
            "not one of the available choices",
            "is not a valid choice",
            "Null characters are not allowed",
            # A related field's answer when PostgreSQL refuses a slug holding a NUL character.
            "Invalid value",
            "Choose an organisation from the catalogue or propose a new one, not both",
            "Choose the lead organisation from the catalogue, or propose a new one",
            "Give the source's URL or a document reference",
            "is listed twice",
            # a submission's Chinese given twice, differently; its original language's text
            "differs from",
            "in the language you wrote first",
            # year_max before year_min (stated in year_max's description).
            "no initiative can match",
        ]
    )
)


def messages(errors):
    if isinstance(errors, str):
        yield errors
    elif isinstance(errors, list):
        for item in errors:
            yield from messages(item)
    elif isinstance(errors, dict):
        for item in errors.values():
            yield from messages(item)


def positive_data_acceptance(ctx, response, case):
    """schemathesis's check that a request the schema calls valid is accepted, except that a
    400 naming each bad value is right when every complaint is TOLERATED."""
    try:
        return checks.positive_data_acceptance(ctx, response, case)
    except AssertionError:
        if response.status_code == 400:
            complaints = list(messages(response.json()))
            if complaints and all(TOLERATED.search(message) for message in complaints):
                return None
        raise


checks.load_all_checks()
# Every check schemathesis has (`--checks all`), with the one above in place of its own.
CHECKS = [
    positive_data_acceptance if check is checks.positive_data_acceptance else check
    for check in checks.CHECKS.get_all()
]


def strategy(operation, mode, partner):
    """The operation's generated cases; for a submission, sometimes for the partner's draft,
    and (valid requests only) sometimes the documented example body."""
    strategies = [operation.as_strategy(generation_mode=mode)]
    if "{id}" in operation.path:
        strategies.append(
            operation.as_strategy(generation_mode=mode, path_parameters={"id": partner.draft.pk})
        )
    if mode == GenerationMode.POSITIVE:
        strategies.extend(operation.get_strategies_from_examples())
    return st.one_of(strategies)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("path", PATHS)
def test_endpoint_answers_as_its_schema_says(api_schema, live_server, partner, path, mode):
    operations = list(api_schema[path].values())

    @given(case=st.one_of([strategy(operation, mode, partner) for operation in operations]))
    @settings(
        max_examples=EXAMPLES * len(operations),
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
        ],
    )
    def answers_as_documented(case):
        case.call_and_validate(base_url=live_server.url, checks=CHECKS)

    answers_as_documented()
