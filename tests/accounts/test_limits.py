"""Limits on account mail: a few mails to one inbox an hour (more requests get the same page
and no mail), and a 429 with Retry-After for a client address asking too often."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests import factories


def sign_up_data(email):
    return {
        "email": email,
        "first_name": "New",
        "last_name": "Partner",
        "password1": factories.PARTNER_PASSWORD,
        "password2": factories.PARTNER_PASSWORD,
        "organisation": "",
        "proposed_organisation_name": "New Partner Foundation",
        "nickname": "",
    }


@pytest.mark.django_db
def test_ten_reset_requests_send_three_mails_to_one_inbox(
    client, partner_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(reverse("password_reset"), {"email": "a@example.org"}) for _ in range(10)]

    assert {(response.status_code, response.url) for response in responses} == {
        (302, reverse("password_reset_done"))
    }
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_reset_limit_is_per_address(client, partner_a, partner_b, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            client.post(reverse("password_reset"), {"email": "a@example.org"})
        client.post(reverse("password_reset"), {"email": partner_b.email})

    assert [message.to for message in mail.outbox][-1] == [partner_b.email]


@pytest.mark.django_db
def test_one_client_asking_for_too_many_resets_gets_429_with_retry_after(client, settings):
    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 2
    for n in range(2):
        assert client.post(reverse("password_reset"), {"email": f"x{n}@example.org"}).status_code == 302

    response = client.post(reverse("password_reset"), {"email": "x9@example.org"})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "try again in" in response.content.decode()


@pytest.mark.django_db
def test_another_client_address_is_not_limited(client, settings):
    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 1
    client.post(reverse("password_reset"), {"email": "x@example.org"}, REMOTE_ADDR="192.0.2.1")

    response = client.post(reverse("password_reset"), {"email": "x@example.org"}, REMOTE_ADDR="192.0.2.2")

    assert response.status_code == 302


@pytest.mark.django_db
def test_one_client_making_too_many_accounts_gets_429_and_no_account(client, settings):
    settings.SIGNUPS_PER_IP_PER_HOUR = 2
    for n in range(2):
        assert client.post(reverse("accounts:signup"), sign_up_data(f"p{n}@example.org")).status_code == 302

    response = client.post(reverse("accounts:signup"), sign_up_data("p9@example.org"))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not get_user_model().objects.filter(email="p9@example.org").exists()


@pytest.mark.django_db
def test_repeated_sign_ups_with_one_address_send_three_mails(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            client.post(reverse("accounts:signup"), sign_up_data("victim@example.org"))

    assert len(mail.outbox) == 3


# PostgreSQL only: on SQLite the live server's threads share the test's one in-memory
# connection, which concurrent requests misuse ("bad parameter or other API misuse").
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_reset_requests_at_once_send_three_mails(live_server, settings):
    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 100  # every request comes from 127.0.0.1
    factories.make_partner("a@example.org")
    url = live_server.url + reverse("password_reset")
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=20))
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', session.get(url).text).group(1)

    def ask(_):
        return session.post(
            url, {"email": "a@example.org", "csrfmiddlewaretoken": token}, allow_redirects=False
        )

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = [response.status_code for response in pool.map(ask, range(20))]

    assert statuses == [302] * 20
    assert len(mail.outbox) == 3
