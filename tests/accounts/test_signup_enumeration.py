"""Sign-up does not tell who has an account: the same answer for a new and a registered
address, with a mail to the registered one; a never-confirmed account gets its link again."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests import factories


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks, db):
    def post(email, **overrides):
        data = {
            "email": email,
            "first_name": "Someone",
            "last_name": "Else",
            "password1": factories.PARTNER_PASSWORD,
            "password2": factories.PARTNER_PASSWORD,
            "organisation": "",
            "proposed_organisation_name": "Some Foundation",
            "nickname": "",
            **overrides,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:signup"), data, follow=True)

    return post


def without_csrf_tokens(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


def test_a_registered_address_gets_the_same_page_as_a_new_one(sign_up):
    factories.make_partner("taken@example.org")

    registered = sign_up("TAKEN@example.org")
    new = sign_up("free@example.org")

    assert registered.redirect_chain == new.redirect_chain == [(reverse("accounts:signup-done"), 302)]
    assert without_csrf_tokens(registered) == without_csrf_tokens(new)


def test_a_registered_address_is_told_someone_tried_to_sign_up(sign_up):
    factories.make_partner("taken@example.org")

    sign_up("taken@example.org")

    assert [message.to for message in mail.outbox] == [["taken@example.org"]]
    assert "tried to create a Casebook account" in mail.outbox[0].body
    assert "/accounts/password_reset/" in mail.outbox[0].body
    assert "/accounts/confirm/" not in mail.outbox[0].body


def test_signing_up_with_a_registered_address_changes_nothing(sign_up):
    partner = factories.make_partner("taken@example.org")

    sign_up(
        "taken@example.org", first_name="Mallory", password1="x-other-pass-77", password2="x-other-pass-77"
    )

    partner.refresh_from_db()
    assert get_user_model().objects.filter(email__iexact="taken@example.org").count() == 1
    assert partner.first_name != "Mallory"
    assert partner.check_password(factories.PARTNER_PASSWORD)


def test_signing_up_again_before_confirming_sends_the_confirmation_again(sign_up, client):
    sign_up("stuck@example.org")
    mail.outbox.clear()

    sign_up("stuck@example.org")

    assert [message.to for message in mail.outbox] == [["stuck@example.org"]]
    path = mail.outbox[0].body.split("http://testserver", 1)[1].split()[0]
    client.post(path)
    assert get_user_model().objects.get(email="stuck@example.org").is_active


def test_an_account_closed_by_an_editor_is_not_reopened_by_signing_up_again(sign_up):
    partner = factories.make_partner("closed@example.org")
    partner.last_login = partner.date_joined
    partner.is_active = False
    partner.save()

    sign_up("closed@example.org")

    assert "/accounts/confirm/" not in mail.outbox[0].body


@pytest.mark.postgres  # concurrent requests to the live server need a real database
@pytest.mark.django_db(transaction=True)
def test_the_same_address_signing_up_twice_at_once_gets_one_account_and_no_error(live_server, settings):
    settings.SIGNUPS_PER_IP_PER_HOUR = 100  # every request comes from 127.0.0.1
    url = live_server.url + reverse("accounts:signup")
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=10))
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', session.get(url).text).group(1)
    data = {
        "email": "twice@example.org",
        "first_name": "Twice",
        "last_name": "Clicked",
        "password1": factories.PARTNER_PASSWORD,
        "password2": factories.PARTNER_PASSWORD,
        "proposed_organisation_name": "Some Foundation",
        "csrfmiddlewaretoken": token,
    }

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(
            pool.map(lambda _: session.post(url, data, allow_redirects=False).status_code, range(10))
        )

    assert statuses == [302] * 10
    assert get_user_model().objects.filter(email="twice@example.org").count() == 1
