"""Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for an account, or
from an address, even the right password is refused for a while, on the site's sign-in page and
the admin's, with a page saying so (429), never a 500."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

SITE = reverse("login")
ADMIN = reverse("admin:login")


def sign_in(client, url, username, password, address="203.0.113.7", **headers):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", [SITE, ADMIN])
def test_after_fifty_wrong_passwords_the_right_one_is_refused(client, url):
    get_user_model().objects.create_user(
        "ed@example.org", "ed@example.org", factories.PARTNER_PASSWORD, is_staff=True
    )
    for _ in range(50):
        assert sign_in(client, url, "ed@example.org", "wrong-password").status_code in (200, 429)

    response = sign_in(client, url, "ed@example.org", factories.PARTNER_PASSWORD)

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert int(response["Retry-After"]) == 15 * 60
    assert not signed_in(client)


def test_the_limit_counts_failures_for_the_account_from_any_address(client, partner_a):
    for number in range(5):
        sign_in(client, SITE, "a@example.org", "wrong-password", address=f"198.51.100.{number}")

    response = sign_in(client, SITE, "a@example.org", factories.PARTNER_PASSWORD, address="192.0.2.1")

    assert response.status_code == 429
    assert not signed_in(client)


def test_the_limit_counts_failures_from_an_address_for_any_account(client, partner_a):
    for number in range(5):
        sign_in(client, SITE, f"someone{number}@example.org", "wrong-password")

    response = sign_in(client, SITE, "a@example.org", factories.PARTNER_PASSWORD)

    assert response.status_code == 429


def test_a_forged_forwarded_for_header_does_not_make_a_new_address(client, partner_a):
    for number in range(5):
        sign_in(
            client, SITE, f"someone{number}@example.org", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}"
        )

    response = sign_in(
        client, SITE, "a@example.org", factories.PARTNER_PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )

    assert response.status_code == 429


def test_four_wrong_passwords_then_the_right_one_signs_in(client, partner_a):
    for _ in range(4):
        assert sign_in(client, SITE, "a@example.org", "wrong-password").status_code == 200

    assert sign_in(client, SITE, "a@example.org", factories.PARTNER_PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_lockout_ends_after_the_cool_off(client, partner_a):
    from axes.models import AccessAttempt  # here, so the other tests run where axes is not installed

    for _ in range(5):
        sign_in(client, SITE, "a@example.org", "wrong-password")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )

    assert sign_in(client, SITE, "a@example.org", factories.PARTNER_PASSWORD).status_code == 302


def test_the_limit_and_cool_off_come_from_the_environment(settings, client, partner_a):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(client, SITE, "a@example.org", "wrong-password")

    assert sign_in(client, SITE, "a@example.org", factories.PARTNER_PASSWORD).status_code == 429


def test_the_locked_out_page_is_translated(client, partner_a):
    for _ in range(5):
        sign_in(client, SITE, "a@example.org", "wrong-password")

    response = sign_in(
        client, SITE, "a@example.org", factories.PARTNER_PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
