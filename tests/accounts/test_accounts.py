"""Partner accounts: sign-up with email confirmation, sign-in with the email, sign-out by
POST, password reset, the profile and API tokens."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from catalogue.models import PartnerProfile
from tests import factories


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks, db):
    def post(**overrides):
        data = {
            "email": "new.partner@example.org",
            "first_name": "New",
            "last_name": "Partner",
            "password1": factories.PARTNER_PASSWORD,
            "password2": factories.PARTNER_PASSWORD,
            "organisation": "",
            "proposed_organisation_name": "New Partner Foundation",
            "nickname": "",
            **overrides,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:signup"), data)

    return post


def confirmation_path():
    return re.search(r"http://testserver(/accounts/confirm/\S+)", mail.outbox[-1].body).group(1)


def test_sign_up_creates_an_inactive_account_with_a_profile_and_emails_a_link(sign_up):
    response = sign_up()

    assert response.url == reverse("accounts:signup-done")
    user = get_user_model().objects.get(email="new.partner@example.org")
    assert user.username == "new.partner@example.org"
    assert not user.is_active
    assert user.partner_profile.proposed_organisation_name == "New Partner Foundation"
    assert mail.outbox[0].to == ["new.partner@example.org"]
    assert "/accounts/confirm/" in mail.outbox[0].body


def test_sign_up_with_an_existing_organisation_names_it_in_the_profile(sign_up, make_organisation):
    organisation = make_organisation(name="UNICEF Innovation")

    sign_up(organisation="unicef innovation", proposed_organisation_name="")

    profile = PartnerProfile.objects.get(user__email="new.partner@example.org")
    assert profile.organisation == organisation
    assert not profile.organisation_confirmed  # an editor confirms membership


def test_following_the_link_does_not_activate_until_the_button_is_pressed(client, sign_up):
    sign_up()

    response = client.get(confirmation_path())

    assert response.status_code == 200
    assert not get_user_model().objects.get(email="new.partner@example.org").is_active


def test_confirming_activates_the_account_and_signs_in(client, sign_up):
    sign_up()

    response = client.post(confirmation_path())

    assert response.url == reverse("submissions:list")
    assert get_user_model().objects.get(email="new.partner@example.org").is_active
    assert client.get(reverse("submissions:list")).status_code == 200


def test_a_confirmation_link_works_once(client, sign_up):
    sign_up()
    path = confirmation_path()
    client.post(path)
    client.logout()

    response = client.post(path)

    assert response.status_code == 400
    assert client.get(reverse("submissions:list")).status_code == 302


def test_a_tampered_confirmation_link_is_refused(client, sign_up):
    sign_up()

    response = client.post(confirmation_path()[:-3] + "abc/")

    assert response.status_code == 400
    assert not get_user_model().objects.get(email="new.partner@example.org").is_active


def test_an_unconfirmed_account_cannot_sign_in(client, sign_up):
    sign_up()

    response = client.post(
        reverse("login"), {"username": "new.partner@example.org", "password": factories.PARTNER_PASSWORD}
    )

    assert response.status_code == 200
    assert response.context["form"].errors


def test_an_email_can_have_only_one_account(sign_up):
    factories.make_partner("taken@example.org")

    response = sign_up(email="TAKEN@example.org")

    assert response.status_code == 302
    assert get_user_model().objects.filter(email__iexact="taken@example.org").count() == 1


def test_sign_up_needs_an_organisation(sign_up):
    response = sign_up(proposed_organisation_name="")

    assert response.context["form"].errors["organisation"]


def test_a_bot_filling_the_honeypot_gets_no_account(sign_up):
    response = sign_up(nickname="buy-now")

    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="new.partner@example.org").exists()
    assert len(mail.outbox) == 0


def test_partners_sign_in_with_their_email_in_any_case(client, partner_a):
    response = client.post(
        reverse("login"), {"username": "A@Example.org", "password": factories.PARTNER_PASSWORD}
    )

    assert response.url == reverse("submissions:list")


def test_sign_out_is_a_post(client, partner_a):
    client.force_login(partner_a)

    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("submissions:list")).status_code == 302


def test_password_reset_emails_a_link_that_sets_a_new_password(
    client, partner_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "a@example.org"})

    path = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-password-9", "new_password2": "a-brand-new-password-9"},
    )
    response = client.post(
        reverse("login"), {"username": "a@example.org", "password": "a-brand-new-password-9"}
    )
    assert response.status_code == 302


def test_changing_organisation_in_the_profile_needs_confirmation_again(client, partner_a, make_organisation):
    other = make_organisation(name="Elsewhere Inc")
    client.force_login(partner_a)

    client.post(
        reverse("accounts:profile"), {"organisation": "Elsewhere Inc", "proposed_organisation_name": ""}
    )

    partner_a.partner_profile.refresh_from_db()
    assert partner_a.partner_profile.organisation == other
    assert not partner_a.partner_profile.organisation_confirmed


def test_an_account_without_a_profile_can_create_one(client, django_user_model):
    user = django_user_model.objects.create_user(
        "admin@example.org", "admin@example.org", "pw-123-long-enough"
    )
    client.force_login(user)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert not PartnerProfile.objects.exists()  # a GET writes nothing

    client.post(reverse("accounts:profile"), {"organisation": "", "proposed_organisation_name": "Admin Org"})

    assert user.partner_profile.proposed_organisation_name == "Admin Org"
