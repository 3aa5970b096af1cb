"""The schema as a real client sees it: a Python client generated from /api/v1/schema/ by
openapi-python-client (the generator most Python users of an OpenAPI API reach for) reads,
filters and submits against the live test server, with no hand-written request in between.

It proves what schema reviews miss: the generator must accept the schema without a warning,
send the token the way the API reads it (`Bearer`), and parse a 400 into its error model
rather than drop it.
"""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests import factories

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def casebook_client(live_server, tmp_path, monkeypatch):
    """The generated client package, imported from a temporary folder."""
    schema = requests.get(f"{live_server.url}/api/v1/schema/", params={"format": "json"}, timeout=30)
    (tmp_path / "schema.json").write_bytes(schema.content)
    # No post-generation hooks: they would run ruff on the generated code, which is not ours.
    (tmp_path / "config.yaml").write_text("post_hooks: []\n")
    result = subprocess.run(
        [
            GENERATOR,
            *("generate", "--path", "schema.json", "--output-path", "casebook_client"),
            *("--meta", "none", "--config", "config.yaml"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("casebook_client")
    for name in [name for name in sys.modules if name.split(".")[0] == "casebook_client"]:
        del sys.modules[name]


@pytest.fixture
def catalogue(transactional_db):
    education = factories.make_sector(slug="education", name="Education")
    health = factories.make_sector(slug="health", name="Health")
    factories.make_requirement(number=3, slug="privacy", title="Protect children's data")
    factories.make_organisation(name="Readers Trust", slug="readers-trust")
    return {
        "reading": factories.make_initiative(slug="reading-buddy", sectors=[education]),
        "clinic": factories.make_initiative(slug="clinic-chat", sectors=[health]),
    }


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_reads_filters_and_submits(casebook_client, live_server, catalogue, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from casebook_client import AuthenticatedClient, Client
    from casebook_client.api.initiatives import initiatives_list, initiatives_retrieve
    from casebook_client.api.submissions import submissions_create
    from casebook_client.models import (
        InitiativeDetail,
        InitiativePage,
        RequirementAlignmentInputRequest,
        Submission,
        SubmissionRequest,
        SubmissionsCreateResponse400,
    )

    token = factories.make_api_token(factories.make_partner("generated@example.org"))
    draft = SubmissionRequest(
        title="Reading Buddy for rural schools",
        summary="A speech-recognition tutor that listens to children read aloud.",
        sectors=["education"],
        lead_organisation="readers-trust",
        requirements=[
            RequirementAlignmentInputRequest(requirement="privacy", rationale="Audio stays local.")
        ],
    )
    # Closed on leaving, so that no kept-alive connection holds a live-server thread (and its
    # database session) past the test.
    with (
        Client(base_url=live_server.url, raise_on_unexpected_status=True) as reader,
        AuthenticatedClient(base_url=live_server.url, token=token, raise_on_unexpected_status=True) as writer,
    ):
        page = initiatives_list.sync(client=reader, sector=["education"])
        detail = initiatives_retrieve.sync("clinic-chat", client=reader)
        created = submissions_create.sync_detailed(client=writer, body=draft, idempotency_key="generated-1")
        draft.sectors = ["no-such-sector"]
        refused = submissions_create.sync_detailed(client=writer, body=draft)

    assert isinstance(page, InitiativePage)
    assert [initiative.slug for initiative in page.results] == ["reading-buddy"]
    assert page.results[0].sectors[0].slug == "education"
    assert isinstance(detail, InitiativeDetail)
    assert detail.sectors[0].name == "Health"
    # AuthenticatedClient sends `Authorization: Bearer <key>`, as the schema's scheme says.
    assert created.status_code == 201
    assert isinstance(created.parsed, Submission)
    assert created.parsed.status.value == "draft"
    assert created.parsed.requirements[0].requirement == "privacy"
    assert refused.status_code == 400
    assert isinstance(refused.parsed, SubmissionsCreateResponse400)
    assert refused.parsed["sectors"] == ["Object with slug=no-such-sector does not exist."]
