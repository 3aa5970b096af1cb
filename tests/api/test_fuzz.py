"""Schema-driven fuzzing: schemathesis generates requests from /api/v1/schema/, valid ones and
invalid ones, sends them to the live test server holding the shipped catalogue, and checks
that none is answered with a 5xx or with a response the schema does not describe (status
code, content type, headers, body), and that invalid input is refused with a 4xx.

Every operation of a path is fuzzed (GET, and POST and PUT for submissions). Submissions are
sent with a partner's token, so that requests get past authentication to the validation and
the workflow; the partner owns a draft whose id is sometimes used, so that reading, replacing
and submitting an existing submission are fuzzed too, not only 404s.

schemathesis's own pytest loader (`schemathesis.pytest.from_fixture`) does not run under
pytest 9.2, so each endpoint's strategy is driven with Hypothesis directly.
"""

import io
import os
import re

import pytest
import schemathesis
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode, checks

from tests import factories

# Enough examples per endpoint and mode to try each parameter with several values, while the
# whole run stays well under two minutes.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))

PATHS = sorted(SchemaGenerator().get_schema(request=None, public=True)["paths"])


@pytest.fixture
def api_schema(live_server, transactional_db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"}}
    # Otherwise the partner's hourly limit turns every POST after the tenth into a 429.
    settings.SUBMISSIONS_PER_HOUR = 100000
    call_command("load_catalogue", stdout=io.StringIO())
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")


@pytest.fixture
def partner(api_schema, settings):
    """A partner with a draft, whose token schemathesis sends to the submissions endpoints
    (except in the negative cases that leave the token out, which must get a 401)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = factories.make_partner("fuzz@example.org")
    user.draft = factories.make_submission(user, lead_organisation=None)
    token = Token.objects.create(user=user).key

    @api_schema.auth(refresh_interval=None).apply_to(path_regex="^/api/v1/submissions/")
    class PartnerToken:
        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    return user


# Complaints about values the schema cannot rule out: a well-formed slug or id naming no record
# (the schema cannot list every slug), and a NUL character, which no text column can store.
TOLERATED = re.compile(
    r"does not exist|not one of the available choices|is not a valid choice|Null characters are not allowed",
    re.I,
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
