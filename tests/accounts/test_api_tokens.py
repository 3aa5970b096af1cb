"""A partner's API tokens (/accounts/api-token/): shown once, stored hashed, several per
partner, each with a name, last-used date and expiry, and revocable one by one."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalogue.models import ApiToken
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:api-token")
SUBMISSIONS = "/api/v1/submissions/"
KEY = re.compile(r'<code id="api-token">([0-9a-f]{40})</code>')


def create(client, name="Our CMS", lifetime="90"):
    response = client.post(PAGE, {"action": "create", "name": name, "lifetime": lifetime})
    assert response.status_code == 200
    return KEY.search(response.content.decode()).group(1), response


def status_with(key, keyword="Token"):
    return APIClient().get(SUBMISSIONS, headers={"Authorization": f"{keyword} {key}"}).status_code


def test_a_new_tokens_key_is_shown_once_and_never_again(client, partner_a):
    client.force_login(partner_a)

    key, response = create(client)

    assert "no-store" in response["Cache-Control"]
    page = client.get(PAGE).content.decode()
    assert key not in page
    assert "Our CMS" in page and key[:6] in page  # named, and told apart by its first characters


def test_only_a_hash_of_the_key_is_stored(client, partner_a):
    client.force_login(partner_a)

    key, _ = create(client)

    token = ApiToken.objects.get(user=partner_a)
    stored = [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert not any(key in value for value in stored)
    assert not Token.objects.exists()


def test_the_key_works_as_token_or_bearer_and_a_wrong_one_does_not(client, partner_a):
    client.force_login(partner_a)
    key, _ = create(client)

    assert status_with(key, "Token") == 200
    assert status_with(key, "Bearer") == 200
    assert status_with(key[:-1] + ("0" if key[-1] != "0" else "1")) == 401


def test_a_partner_holds_several_tokens_and_revokes_one_without_the_others(client, partner_a):
    client.force_login(partner_a)
    kept, _ = create(client, "Kept")
    revoked, _ = create(client, "Revoked")

    client.post(PAGE, {"revoke": ApiToken.objects.get(name="Revoked").pk})

    assert status_with(revoked) == 401
    assert status_with(kept) == 200
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Kept"]


def test_a_partner_cannot_revoke_someone_elses_token(client, partner_a, partner_b):
    other_key = factories.make_api_token(partner_b)
    client.force_login(partner_a)

    client.post(PAGE, {"revoke": ApiToken.objects.get(user=partner_b).pk})

    assert status_with(other_key) == 200


def test_an_expired_token_is_refused(partner_a):
    key = factories.make_api_token(partner_a, expires_at=timezone.now() - timedelta(seconds=1))

    assert status_with(key) == 401


def test_a_token_made_with_a_lifetime_expires_then(client, partner_a):
    client.force_login(partner_a)

    create(client, lifetime="30")

    expires = ApiToken.objects.get().expires_at
    assert abs(expires - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)


def test_using_a_token_records_when_it_was_last_used(client, partner_a):
    key = factories.make_api_token(partner_a)
    assert ApiToken.objects.get().last_used_at is None

    status_with(key)

    assert timezone.now() - ApiToken.objects.get().last_used_at < timedelta(minutes=1)
    client.force_login(partner_a)
    assert "never" not in client.get(PAGE).content.decode().split("<tbody>")[1].split("</td>")[3]


def test_a_token_stops_working_when_its_partner_is_deactivated(partner_a):
    key = factories.make_api_token(partner_a)
    partner_a.is_active = False
    partner_a.save()

    assert status_with(key) == 401


def test_tokens_made_before_hashing_keep_working_after_the_migration(partner_a):
    """The migration hashes each DRF token into ApiToken and deletes the plain-text key."""
    old_key = Token.objects.create(user=partner_a).key
    migration = importlib.import_module("catalogue.migrations.0016_api_tokens_hashed")

    migration.hash_drf_tokens(apps, type("SchemaEditor", (), {"connection": connection})())

    assert not Token.objects.exists()
    assert ApiToken.objects.get(user=partner_a).prefix == old_key[:6]
    assert status_with(old_key) == 200


@pytest.mark.parametrize("value", ["abc", "\x00", "9" * 30, ""])
def test_revoking_a_token_that_is_not_there_changes_nothing(client, partner_a, value):
    key = factories.make_api_token(partner_a)
    client.force_login(partner_a)

    assert client.post(PAGE, {"revoke": value}).status_code == 302
    assert status_with(key) == 200


def test_a_token_needs_a_name(client, partner_a):
    client.force_login(partner_a)

    response = client.post(PAGE, {"action": "create", "name": "", "lifetime": "90"})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()
