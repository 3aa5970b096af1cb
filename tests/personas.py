"""Personas for the submission tests: partner A (the owner), a confirmed colleague of A,
partner B (a stranger), an editor, and anonymous; and a valid submission form post."""

import uuid

import pytest
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture
def vocabulary(db):
    """The records a valid submission refers to."""
    return {
        "organisation": factories.make_organisation(name="Readers Trust", slug="readers-trust"),
        "partner": factories.make_organisation(name="Open Schools", slug="open-schools"),
        "sector": factories.make_sector(slug="education", name="Education"),
        "technology": factories.make_technology(slug="speech-recognition", name="Speech recognition"),
        "requirement": factories.make_requirement(number=3, slug="privacy", title="Protect children's data"),
    }


@pytest.fixture
def partner_organisation(db):
    return factories.make_organisation(name="Partner A Org", slug="partner-a-org")


@pytest.fixture
def partner_a(partner_organisation):
    return factories.make_partner("a@example.org", organisation=partner_organisation, confirmed=True)


@pytest.fixture
def colleague(partner_organisation):
    return factories.make_partner("colleague@example.org", organisation=partner_organisation, confirmed=True)


@pytest.fixture
def partner_b(db):
    return factories.make_partner("b@example.org")


@pytest.fixture
def editor(db):
    return factories.make_editor("editor@example.org")


@pytest.fixture
def personas(partner_a, colleague, partner_b, editor):
    return {
        "anonymous": None,
        "partner_a": partner_a,
        "colleague": colleague,
        "partner_b": partner_b,
        "editor": editor,
    }


@pytest.fixture
def client_for(client):
    """client_for(user) is a test client signed in as user (or anonymous for None)."""

    def signed_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def api_client_for():
    """api_client_for(user) sends the user's API token (no header for None)."""

    tokens = {}  # one token per user, as before: a key can only be read when it is made

    def with_token(user):
        api = APIClient()
        if user is not None:
            if user.pk not in tokens:
                tokens[user.pk] = factories.make_api_token(user)
            api.credentials(HTTP_AUTHORIZATION=f"Token {tokens[user.pk]}")
        return api

    return with_token


@pytest.fixture
def submission_post(vocabulary):
    """submission_post(**overrides) is the POST data of a valid /submit/ form."""

    def build(*, initial_rows=0, **overrides):
        data = {
            "title": "Reading Buddy for rural schools",
            "summary": "A speech-recognition tutor that listens to children read aloud.",
            "title_zh": "",
            "summary_zh": "",
            "lead_organisation": vocabulary["organisation"].name,
            "new_organisation_name": "",
            "new_organisation_kind": "other",
            "new_organisation_country": "",
            "new_organisation_website": "",
            "partners": vocabulary["partner"].name,
            "sectors": [vocabulary["sector"].pk],
            "technologies": [vocabulary["technology"].pk],
            "beneficiary_groups": [],
            "countries": ["KE", "TZ"],
            "start_year": "2021",
            "website": "https://reading-buddy.example.org/",
            "children_focus": "on",
            "submission_key": str(uuid.uuid4()),
            "nickname": "",
            "key_figures-0-text": "12,000 children in 140 schools",
            "key_figures-0-text_zh": "",
            "alignments-0-requirement": vocabulary["requirement"].pk,
            "alignments-0-rationale": "Recordings never leave the school's tablet.",
            "sources-0-title": "Reading Buddy annual report 2023",
            "sources-0-url": "https://reading-buddy.example.org/report-2023.pdf",
            "sources-0-reference": "p. 4",
        }
        for prefix in ("key_figures", "alignments", "sources", "safeguards"):
            data.update(
                {
                    f"{prefix}-TOTAL_FORMS": "2",
                    # the tool's safeguards (issue 14) are left empty: no row of theirs is saved
                    f"{prefix}-INITIAL_FORMS": "0" if prefix == "safeguards" else str(initial_rows),
                    f"{prefix}-MIN_NUM_FORMS": "0",
                    f"{prefix}-MAX_NUM_FORMS": "1000",
                }
            )
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


@pytest.fixture
def api_payload(vocabulary):
    """api_payload(**overrides) is a valid JSON body for POST /api/v1/submissions/."""

    def build(**overrides):
        payload = {
            "title": "Clinic chatbot for teenagers",
            "summary": "A chatbot that answers teenagers' health questions in Swahili.",
            "lead_organisation": vocabulary["organisation"].slug,
            "partners": [vocabulary["partner"].slug],
            "sectors": [vocabulary["sector"].slug],
            "technologies": [vocabulary["technology"].slug],
            "countries": ["KE"],
            "start_year": 2022,
            "website": "https://clinic-chat.example.org/",
            "children_focus": True,
            "key_figures": [{"text": "30,000 conversations a month"}],
            "requirements": [{"requirement": "privacy", "rationale": "No names are stored."}],
            "sources": [{"title": "Evaluation 2023", "url": "https://clinic-chat.example.org/eval.pdf"}],
        }
        payload.update(overrides)
        return {key: value for key, value in payload.items() if value is not None}

    return build
