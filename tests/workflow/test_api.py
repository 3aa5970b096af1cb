"""POST /api/v1/submissions/: token authentication, the form's validation and statuses,
and a partner touching only their own submissions."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalogue.models import Initiative
from tests import factories

LIST = "/api/v1/submissions/"


def results(data):
    # Tolerates the pagination envelope the read-only API may configure globally.
    return data["results"] if isinstance(data, dict) else data


@pytest.fixture
def api_a(api_client_for, partner_a):
    return api_client_for(partner_a)


@pytest.mark.django_db
def test_a_partner_creates_a_draft_with_a_token(api_a, api_payload, partner_a):
    response = api_a.post(LIST, api_payload(), format="json")

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "draft"
    assert data["title"] == "Clinic chatbot for teenagers"
    assert data["lead_organisation"] == "readers-trust"
    assert data["sectors"] == ["education"]
    assert data["countries"] == ["KE"]
    assert data["key_figures"] == [{"text": "30,000 conversations a month", "text_zh": ""}]
    assert data["requirements"] == [{"requirement": "privacy", "rationale": "No names are stored."}]
    assert data["history"][0]["to_status"] == "draft"
    initiative = Initiative.objects.get(pk=data["id"])
    assert initiative.submitted_by == partner_a
    assert not Initiative.objects.published().exists()


@pytest.mark.django_db
def test_without_a_token_the_answer_is_401(api_client_for, api_payload):
    response = api_client_for(None).post(LIST, api_payload(), format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_a_revoked_token_is_refused(api_a, api_payload, partner_a):
    partner_a.api_tokens.all().delete()

    assert api_a.post(LIST, api_payload(), format="json").status_code == 401


@pytest.mark.django_db
def test_the_session_cookie_is_not_enough(client, partner_a, api_payload):
    client.force_login(partner_a)

    response = client.post(LIST, api_payload(), content_type="application/json")

    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": None}, "title"),
        ({"summary": None}, "summary"),
        ({"sectors": []}, "sectors"),
        ({"title": "x" * 251}, "title"),
        ({"summary": "x" * 3001}, "summary"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "not a url"}, "website"),
        ({"start_year": 1800}, "start_year"),
        ({"sectors": ["no-such-sector"]}, "sectors"),
        ({"countries": ["XX"]}, "countries"),
        ({"lead_organisation": None}, "lead_organisation"),
        ({"proposed_organisation": {"name": "Both At Once"}}, "lead_organisation"),
        ({"sources": [{"title": "No location"}]}, "sources"),
        # Values of another JSON type than the schema says are refused, not converted.
        ({"sources": [{"title": "Numbered", "reference": 0}]}, "sources"),
        ({"title": 12}, "title"),
        ({"start_year": "2021"}, "start_year"),
        ({"start_year": True}, "start_year"),
        ({"children_focus": "yes"}, "children_focus"),
        ({"children_focus": 1}, "children_focus"),
        ({"key_figures": [{"text": f"figure {n}"} for n in range(11)]}, "key_figures"),
        ({"sources": [{"title": f"s{n}", "reference": f"r{n}"} for n in range(11)]}, "sources"),
        ({"sources": [{"title": "Bad", "url": "ftp://x.example/y"}]}, "sources"),
        (
            {
                "requirements": [
                    {"requirement": "privacy", "rationale": "a"},
                    {"requirement": "privacy", "rationale": "b"},
                ]
            },
            "requirements",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_a, api_payload, overrides, field):
    response = api_a.post(LIST, api_payload(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_a_bearer_token_is_accepted_like_a_token(partner_a, api_payload):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {factories.make_api_token(partner_a)}")

    response = api.post(LIST, api_payload(), format="json")

    assert response.status_code == 201
    assert Initiative.objects.get().submitted_by == partner_a


@pytest.mark.django_db
def test_a_wrong_bearer_token_is_refused(api_client_for, api_payload):
    api = api_client_for(None)
    api.credentials(HTTP_AUTHORIZATION="Bearer 0123456789abcdef0123456789abcdef01234567")

    assert api.post(LIST, api_payload(), format="json").status_code == 401


@pytest.mark.django_db
def test_malformed_json_is_a_400(api_a):
    response = api_a.post(LIST, "{not json", content_type="application/json")

    assert response.status_code == 400


@pytest.mark.django_db
def test_script_tags_are_stored_as_text_and_returned_as_json_text(api_a, api_payload):
    response = api_a.post(LIST, api_payload(title="<script>alert(1)</script>"), format="json")

    assert response.json()["title"] == "<script>alert(1)</script>"
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_a_new_lead_organisation_can_be_proposed(api_a, api_payload):
    payload = api_payload(
        lead_organisation=None,
        proposed_organisation={"name": "Clinic Chat Ltd", "kind": "company", "country": "KE"},
    )

    data = api_a.post(LIST, payload, format="json").json()

    assert data["lead_organisation"] is None
    assert data["proposed_organisation"] == {
        "name": "Clinic Chat Ltd",
        "kind": "company",
        "country": "KE",
        "website": "",
    }


@pytest.mark.django_db
def test_a_retried_post_with_the_same_idempotency_key_creates_one_submission(api_a, api_payload):
    first = api_a.post(LIST, api_payload(), format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    second = api_a.post(LIST, api_payload(), format="json", HTTP_IDEMPOTENCY_KEY="retry-1")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Initiative.objects.count() == 1


@pytest.mark.django_db
def test_an_idempotency_key_reused_with_another_body_is_a_409(api_a, api_payload):
    first = api_a.post(LIST, api_payload(), format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    second = api_a.post(LIST, api_payload(title="Changed"), format="json", HTTP_IDEMPOTENCY_KEY="retry-1")

    assert (first.status_code, second.status_code) == (201, 409)
    assert "Idempotency-Key" in second.json()["detail"]
    assert Initiative.objects.get().title == "Clinic chatbot for teenagers"


@pytest.mark.django_db
def test_an_idempotency_key_matches_the_same_body_in_another_key_order(api_a, api_payload):
    payload = api_payload()
    api_a.post(LIST, payload, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")

    reordered = dict(reversed(payload.items()))
    response = api_a.post(LIST, reordered, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")

    assert response.status_code == 200
    assert Initiative.objects.count() == 1


@pytest.mark.django_db
def test_the_same_idempotency_key_from_two_partners_creates_two(
    api_a, api_client_for, partner_b, api_payload
):
    api_a.post(LIST, api_payload(), format="json", HTTP_IDEMPOTENCY_KEY="k")
    api_client_for(partner_b).post(LIST, api_payload(), format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert Initiative.objects.count() == 2


@pytest.mark.django_db
def test_the_rate_limit_answers_429(api_a, api_payload, settings):
    settings.SUBMISSIONS_PER_HOUR = 1
    first = api_a.post(LIST, api_payload(), format="json").json()["id"]
    second = api_a.post(LIST, api_payload(title="Second"), format="json").json()["id"]  # drafts are free
    api_a.post(f"{LIST}{first}/submit/")

    response = api_a.post(f"{LIST}{second}/submit/")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Initiative.objects.get(pk=second).status == Initiative.Status.DRAFT


@pytest.mark.django_db
def test_a_partner_lists_only_their_own_submissions(api_a, api_client_for, partner_b, api_payload):
    api_a.post(LIST, api_payload(title="A's case"), format="json")
    api_client_for(partner_b).post(LIST, api_payload(title="B's case"), format="json")

    titles = [item["title"] for item in results(api_a.get(LIST).json())]

    assert titles == ["A's case"]


@pytest.mark.django_db
def test_partner_b_cannot_read_change_or_submit_as_submission(api_a, api_client_for, partner_b, api_payload):
    pk = api_a.post(LIST, api_payload(), format="json").json()["id"]
    api_b = api_client_for(partner_b)
    detail = reverse("api:submission-detail", kwargs={"pk": pk})

    assert api_b.get(detail).status_code == 404
    assert api_b.put(detail, api_payload(title="Hijacked"), format="json").status_code == 404
    assert api_b.post(reverse("api:submission-submit", kwargs={"pk": pk})).status_code == 404
    initiative = Initiative.objects.get(pk=pk)
    assert (initiative.title, initiative.status) == ("Clinic chatbot for teenagers", "draft")


@pytest.mark.django_db
def test_a_partner_replaces_then_submits_a_draft(api_a, api_payload):
    pk = api_a.post(LIST, api_payload(), format="json").json()["id"]
    detail = reverse("api:submission-detail", kwargs={"pk": pk})

    replaced = api_a.put(
        detail, api_payload(title="Clinic chatbot, second version", key_figures=[]), format="json"
    )
    submitted = api_a.post(reverse("api:submission-submit", kwargs={"pk": pk}))

    assert replaced.json()["title"] == "Clinic chatbot, second version"
    assert replaced.json()["key_figures"] == []
    assert submitted.json()["status"] == "submitted"
    assert api_a.put(detail, api_payload(), format="json").status_code == 403  # with the editors now


@pytest.mark.django_db
def test_patch_is_not_offered(api_a, api_payload):
    pk = api_a.post(LIST, api_payload(), format="json").json()["id"]

    response = api_a.patch(reverse("api:submission-detail", kwargs={"pk": pk}), {"title": "x"}, format="json")

    assert response.status_code == 405


@pytest.mark.django_db
def test_a_partners_alignment_is_published_as_the_partners(api_a, api_payload, editor, client):
    from workflow import transitions as workflow

    created = api_a.post(LIST, api_payload(), format="json").json()
    initiative = Initiative.objects.get(pk=created["id"])
    workflow.submit(initiative, initiative.submitted_by)
    workflow.publish(initiative, editor)
    initiative.refresh_from_db()

    (alignment,) = client.get(f"/api/v1/initiatives/{initiative.slug}/").json()["alignments"]
    assert alignment["made_by"] == "partner"
    assert alignment["rationale"] == "No names are stored."
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Submitted by the partner" in page
    assert "Editorial inference" not in page
