"""Who may do what: every page and API action of the submission workflow, for each persona.

Partner A owns the submission; the colleague works for A's organisation (membership
confirmed by an editor); partner B is a stranger; the editor is in the Editors group (not
staff). A refused write leaves the record exactly as it was.
"""

import pytest
from django.urls import reverse

from catalogue.models import Initiative, StatusChange
from tests import factories

Status = Initiative.Status
DRAFT, SUBMITTED, PUBLISHED = Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED
PERSONAS = ["anonymous", "partner_a", "colleague", "partner_b", "editor"]
LOGIN = 302  # anonymous visitors are sent to the sign-in page


def page(method, name, *, with_pk=False, data=None):
    def send(clients, initiative):
        url = reverse(name, kwargs={"pk": initiative.pk}) if with_pk else reverse(name)
        return getattr(clients.web, method)(url, data(clients) if data else None)

    return send


def api(method, *, detail=False, submit=False):
    def send(clients, initiative):
        if submit:
            url = reverse("api:submission-submit", kwargs={"pk": initiative.pk})
        elif detail:
            url = reverse("api:submission-detail", kwargs={"pk": initiative.pk})
        else:
            url = reverse("api:submission-list")
        data = clients.api_payload() if method in ("post", "put") and not submit else None
        return getattr(clients.api, method)(url, data, format="json")

    return send


def new_form(clients, initiative):
    # /submit/ sends a browser to a new copy of the form, /submit/?key=<its key>.
    return clients.web.get(reverse("submissions:create"), {"key": "0b5a3e9e-8f0c-4c57-9a55-2f8f2d1c3c11"})


def public_detail(clients, initiative):
    return clients.web.get(reverse("catalogue:initiative-detail", kwargs={"slug": initiative.slug}))


def decision(value):
    return lambda clients: {"decision": value, "note": "Editor's note."}


# action: (status of A's submission, how to send it, expected status for each persona)
MATRIX = {
    "GET /submit/": (None, new_form, [LOGIN, 200, 200, 200, 200]),
    "POST /submit/ (new draft)": (
        None,
        page("post", "submissions:create", data=lambda c: c.submission_post()),
        [LOGIN, 302, 302, 302, 302],
    ),
    "GET /submissions/": (None, page("get", "submissions:list"), [LOGIN, 200, 200, 200, 200]),
    "view A's draft": (DRAFT, page("get", "submissions:detail", with_pk=True), [LOGIN, 200, 200, 404, 404]),
    "open edit form of A's draft": (
        DRAFT,
        page("get", "submissions:edit", with_pk=True),
        [LOGIN, 200, 200, 404, 404],
    ),
    "save A's draft": (
        DRAFT,
        page("post", "submissions:edit", with_pk=True, data=lambda c: c.submission_post(title="Changed")),
        [LOGIN, 302, 302, 404, 404],
    ),
    "submit A's draft": (
        DRAFT,
        page("post", "submissions:submit", with_pk=True),
        [LOGIN, 302, 302, 404, 404],
    ),
    "open edit form of A's submitted case": (
        SUBMITTED,
        page("get", "submissions:edit", with_pk=True),
        [LOGIN, 403, 403, 404, 404],
    ),
    "save A's published case": (
        PUBLISHED,
        page("post", "submissions:edit", with_pk=True, data=lambda c: c.submission_post(title="Changed")),
        [LOGIN, 403, 403, 404, 404],
    ),
    "submit A's published case": (
        PUBLISHED,
        page("post", "submissions:submit", with_pk=True),
        [LOGIN, 403, 403, 404, 404],
    ),
    "GET /review/": (None, page("get", "review:queue"), [LOGIN, 403, 403, 403, 200]),
    "open review page of A's case": (
        SUBMITTED,
        page("get", "review:detail", with_pk=True),
        [LOGIN, 403, 403, 403, 200],
    ),
    "publish A's case": (
        SUBMITTED,
        page("post", "review:detail", with_pk=True, data=decision("publish")),
        [LOGIN, 403, 403, 403, 302],
    ),
    "request changes to A's case": (
        SUBMITTED,
        page("post", "review:detail", with_pk=True, data=decision("request_changes")),
        [LOGIN, 403, 403, 403, 302],
    ),
    "reject A's case": (
        SUBMITTED,
        page("post", "review:detail", with_pk=True, data=decision("reject")),
        [LOGIN, 403, 403, 403, 302],
    ),
    "public page of A's draft": (DRAFT, public_detail, [404, 404, 404, 404, 404]),
    "public page of A's submitted case": (SUBMITTED, public_detail, [404, 404, 404, 404, 404]),
    "GET /accounts/profile/": (None, page("get", "accounts:profile"), [LOGIN, 200, 200, 200, 200]),
    "GET /accounts/api-token/": (None, page("get", "accounts:api-token"), [LOGIN, 200, 200, 200, 200]),
    "API: list submissions": (None, api("get"), [401, 200, 200, 200, 200]),
    "API: create a submission": (None, api("post"), [401, 201, 201, 201, 201]),
    "API: read A's draft": (DRAFT, api("get", detail=True), [401, 200, 200, 404, 404]),
    "API: replace A's draft": (DRAFT, api("put", detail=True), [401, 200, 200, 404, 404]),
    "API: submit A's draft": (DRAFT, api("post", submit=True), [401, 200, 200, 404, 404]),
    "API: replace A's submitted case": (SUBMITTED, api("put", detail=True), [401, 403, 403, 404, 404]),
    "API: replace A's published case": (PUBLISHED, api("put", detail=True), [401, 403, 403, 404, 404]),
}

CASES = [
    pytest.param(action, persona, expected[index], id=f"{action} | {persona}")
    for action, (_, _, expected) in MATRIX.items()
    for index, persona in enumerate(PERSONAS)
]


class Clients:
    def __init__(self, web, api, submission_post, api_payload):
        self.web, self.api = web, api
        self.submission_post, self.api_payload = submission_post, api_payload


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "persona", "expected"), CASES)
def test_permission_matrix(
    action, persona, expected, personas, client_for, api_client_for, submission_post, api_payload
):
    status, send, _ = MATRIX[action]
    user = personas[persona]
    initiative = factories.make_submission(personas["partner_a"], status=status or DRAFT, title="A's case")
    before = Initiative.objects.values().get(pk=initiative.pk)
    history = StatusChange.objects.filter(initiative=initiative).count()
    count = Initiative.objects.count()
    clients = Clients(client_for(user), api_client_for(user), submission_post, api_payload)

    response = send(clients, initiative)

    assert response.status_code == expected
    refused = expected in (401, 403, 404) or user is None
    if user is None and expected == LOGIN:
        assert response.url.startswith(reverse("login"))
    if refused:
        assert Initiative.objects.values().get(pk=initiative.pk) == before
        assert StatusChange.objects.filter(initiative=initiative).count() == history
        assert Initiative.objects.count() == count
