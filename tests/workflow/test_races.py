"""Races between requests: many partners sending the same title at once, one partner sending
many submissions at once against the hourly limit. Real concurrent requests against the live
server, on PostgreSQL (SQLite serialises writes; there the race is caused on purpose)."""

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
import requests
from django.conf import settings as django_settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread
from django.urls import reverse

from catalogue.models import Initiative
from tests import factories
from workflow import transitions

# A CSRF secret the test chooses: sent as the cookie and as the form's token, as a browser would.
CSRF_SECRET = "a" * 32


class RoomyServer(ThreadedWSGIServer):
    # Django's test server keeps 10 connections waiting to be accepted; thirty clients
    # connecting at once then see resets, which are the test server's limit, not the site's.
    request_queue_size = 64


class RoomyServerThread(LiveServerThread):
    server_class = RoomyServer


@pytest.fixture
def server(transactional_db):
    """The site on a live server (a thread per request, each with its own database
    connection) that accepts many connections at once; its base URL."""
    thread = RoomyServerThread("127.0.0.1", static_handler=lambda handler: handler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def at_once(calls, timeout=120):
    """Run every call in its own thread, all released together; their results in order."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        start.wait()
        try:
            results[index] = call()
        except Exception as error:  # a failed request is a result to assert on
            results[index] = error

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results


def statuses(responses):
    return Counter(getattr(response, "status_code", repr(response)) for response in responses)


class TokenClient:
    """Posts JSON with the user's API token, each request on a connection of its own (a
    connection shared between threads would be reused after the server closed it)."""

    def __init__(self, user):
        self.headers = {
            "Authorization": f"Token {factories.make_api_token(user)}",
            "Connection": "close",
        }

    def post(self, url, json):
        return requests.post(url, json=json, headers=self.headers, timeout=120)


class BrowserClient:
    """Posts forms as a browser signed in as the user would: its session cookie, and the CSRF
    cookie a form page sets with the same token in the form."""

    def __init__(self, user):
        client = Client()
        client.force_login(user)
        self.cookies = {
            django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            django_settings.CSRF_COOKIE_NAME: CSRF_SECRET,
        }

    def post(self, url, data):
        return requests.post(
            url,
            data={**data, "csrfmiddlewaretoken": CSRF_SECRET},
            cookies=self.cookies,
            headers={"Connection": "close"},
            allow_redirects=False,
            timeout=120,
        )


# --- The same title from twenty partners at once ------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_partners_posting_the_same_title_at_once_each_get_a_draft(server, api_payload):
    partners = [TokenClient(factories.make_partner()) for _ in range(20)]
    url = f"{server}/api/v1/submissions/"

    responses = at_once([lambda p=p: p.post(url, api_payload()) for p in partners])

    assert statuses(responses) == {201: 20}
    slugs = {response.json()["slug"] for response in responses}
    assert len(slugs) == 20
    assert Initiative.objects.filter(title="Clinic chatbot for teenagers").count() == 20
    assert "clinic-chatbot-for-teenagers" in slugs


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_partners_sending_the_same_title_through_the_form_at_once_each_get_a_draft(
    server, submission_post
):
    partners = [BrowserClient(factories.make_partner()) for _ in range(20)]
    url = f"{server}{reverse('submissions:create')}"

    responses = at_once([lambda p=p: p.post(url, submission_post()) for p in partners])

    assert statuses(responses) == {302: 20}
    drafts = Initiative.objects.filter(title="Reading Buddy for rural schools")
    assert drafts.count() == 20
    assert len(set(drafts.values_list("slug", flat=True))) == 20


@pytest.mark.django_db
def test_a_slug_taken_between_reading_and_saving_is_replaced_by_the_next_free_one(
    api_client_for, partner_a, partner_b, api_payload, monkeypatch
):
    """What a concurrent request does on PostgreSQL, caused on purpose (and so on SQLite too):
    another partner's draft takes the slug after this request chose it, before it saves."""
    read_slug = transitions.unique_slug
    reads = []

    def taken_right_after_reading(model, text, **kwargs):
        slug = read_slug(model, text, **kwargs)
        reads.append(slug)
        if len(reads) == 1:
            factories.make_submission(partner_b, slug=slug, title=text)
        return slug

    monkeypatch.setattr(transitions, "unique_slug", taken_right_after_reading)

    response = api_client_for(partner_a).post("/api/v1/submissions/", api_payload(), format="json")

    assert response.status_code == 201
    # The first slug it read was taken before it saved; it saved under the next one it read.
    assert len(reads) == 2
    assert reads[0] == "clinic-chatbot-for-teenagers"
    assert response.json()["slug"] == reads[1] != reads[0]
    assert Initiative.objects.filter(submitted_by=partner_a).count() == 1


@pytest.mark.django_db
def test_long_titles_that_share_their_start_get_their_own_slugs(api_client_for, partner_a, api_payload):
    api = api_client_for(partner_a)
    title = "A very long title " * 12  # longer than a slug

    slugs = [
        api.post("/api/v1/submissions/", api_payload(title=title), format="json").json()["slug"]
        for _ in "abc"
    ]

    assert len(set(slugs)) == 3
    assert all(len(slug) <= 100 for slug in slugs)


# --- The hourly limit under concurrent requests ---------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_api_submits_at_once_never_pass_the_hourly_limit(server, settings):
    settings.SUBMISSIONS_PER_HOUR = 10
    partner = factories.make_partner()
    drafts = [factories.make_submission(partner, title=f"Case {n}") for n in range(30)]
    api = TokenClient(partner)
    urls = [f"{server}/api/v1/submissions/{draft.pk}/submit/" for draft in drafts]

    responses = at_once([lambda url=url: api.post(url, None) for url in urls])

    assert statuses(responses) == {200: 10, 429: 20}
    assert all(
        0 < int(response.headers["Retry-After"]) <= 3600
        for response in responses
        if response.status_code == 429
    )
    assert Initiative.objects.filter(submitted_by=partner, status=Initiative.Status.SUBMITTED).count() == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_api_submits_at_once_after_two_take_only_the_remaining_places(server, settings):
    settings.SUBMISSIONS_PER_HOUR = 10
    partner = factories.make_partner()
    drafts = [factories.make_submission(partner, title=f"Case {n}") for n in range(22)]
    api = TokenClient(partner)
    urls = [f"{server}/api/v1/submissions/{draft.pk}/submit/" for draft in drafts]
    for url in urls[:2]:
        assert api.post(url, None).status_code == 200

    responses = at_once([lambda url=url: api.post(url, None) for url in urls[2:]])

    assert statuses(responses) == {200: 8, 429: 12}
    assert Initiative.objects.filter(submitted_by=partner, status=Initiative.Status.SUBMITTED).count() == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_form_submits_at_once_never_pass_the_hourly_limit(server, submission_post, settings):
    settings.SUBMISSIONS_PER_HOUR = 10
    partner = factories.make_partner()
    drafts = [factories.make_submission(partner, title=f"Case {n}") for n in range(30)]
    browser = BrowserClient(partner)
    urls = [f"{server}{reverse('submissions:submit', kwargs={'pk': draft.pk})}" for draft in drafts]

    responses = at_once([lambda url=url: browser.post(url, {}) for url in urls])

    # Both answers lead back to the submission page; the refused ones say why there.
    assert statuses(responses) == {302: 10, 303: 20}
    assert Initiative.objects.filter(submitted_by=partner, status=Initiative.Status.SUBMITTED).count() == 10


# --- SQLite: the development database, with its own server process ------------------------------

SETUP_PARTNERS = """
from tests import factories
factories.make_organisation(name="Readers Trust", slug="readers-trust")
factories.make_sector(slug="education", name="Education")
for n in range(11):
    print(factories.make_api_token(factories.make_partner(f"partner-{n}@example.org")))
"""


@pytest.fixture
def sqlite_server(tmp_path):
    """`manage.py runserver` (a thread per request) on an SQLite file of its own: the test
    database is in memory, shared by one connection, and cannot show SQLite's locking."""
    if not django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("SQLite's locking; PostgreSQL has the tests above")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SUBMISSIONS_PER_HOUR": "5",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def manage(*args, **kwargs):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=django_settings.BASE_DIR, env=env, check=True, **kwargs
        )

    manage("migrate", "-v0")
    tokens = manage("shell", "-v0", "-c", SETUP_PARTNERS, capture_output=True, text=True).stdout.split()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/api/v1/", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        yield base, tokens
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_on_sqlite_concurrent_submissions_wait_for_one_another(sqlite_server, api_payload_for_sqlite):
    """Ten partners sending one title at once, then one partner saving eight drafts and
    submitting them at once against a limit of five: every request answered, none with
    "database is locked"."""
    base, tokens = sqlite_server
    url = f"{base}/api/v1/submissions/"

    def post(token, title):
        headers = {"Authorization": f"Token {token}", "Connection": "close"}
        return requests.post(url, json=api_payload_for_sqlite(title), headers=headers, timeout=120)

    same_title = at_once([lambda t=t: post(t, "Same title") for t in tokens[:10]])
    drafts = at_once([lambda n=n: post(tokens[10], f"Case {n}") for n in range(8)])
    headers = {"Authorization": f"Token {tokens[10]}", "Connection": "close"}

    def submit(draft):
        return requests.post(f"{url}{draft.json()['id']}/submit/", headers=headers, timeout=120)

    submits = at_once([lambda draft=draft: submit(draft) for draft in drafts])

    assert statuses(same_title) == {201: 10}
    assert len({response.json()["slug"] for response in same_title}) == 10
    assert statuses(drafts) == {201: 8}  # drafts are not limited
    assert statuses(submits) == {200: 5, 429: 3}


@pytest.fixture
def api_payload_for_sqlite():
    return lambda title: {
        "title": title,
        "summary": "A chatbot that answers teenagers' health questions.",
        "lead_organisation": "readers-trust",
        "sectors": ["education"],
    }
