"""Bad input on the account forms gets a form error, never a 500: a NUL character (which
PostgreSQL refuses in any query), and whatever Hypothesis generates for every field."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import given

from catalogue.models import PartnerProfile
from tests import factories
from tests.fuzz import FUZZ_SETTINGS, assert_answered, form_posts

NUL_ERROR = "Null characters are not allowed."


@pytest.fixture
def signup_post(db):
    def build(**overrides):
        return {
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

    return build


@pytest.mark.django_db
def test_a_nul_in_the_organisation_at_sign_up_is_a_form_error(client, signup_post):
    response = client.post(
        reverse("accounts:signup"), signup_post(organisation="\x00", proposed_organisation_name="")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == [NUL_ERROR]
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["email", "first_name", "proposed_organisation_name", "password1"])
def test_a_nul_in_any_sign_up_field_is_a_form_error(client, signup_post, field):
    response = client.post(reverse("accounts:signup"), signup_post(**{field: "abc\x00def"}))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_a_nul_in_the_profile_organisation_is_a_form_error(client, partner_a):
    client.force_login(partner_a)

    response = client.post(
        reverse("accounts:profile"), {"organisation": "\x00", "proposed_organisation_name": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == [NUL_ERROR]
    assert PartnerProfile.objects.get(user=partner_a).organisation.name == "Partner A Org"


# --- Fuzzing every field of every account form ---------------------------------------------------

SIGN_UP = {
    "email": "fuzz@example.org",
    "first_name": "Fuzz",
    "last_name": "Partner",
    "password1": factories.PARTNER_PASSWORD,
    "password2": factories.PARTNER_PASSWORD,
    "organisation": "Partner A Org",
    "proposed_organisation_name": "",
    "nickname": "",
}
SIGN_IN = {"username": "a@example.org", "password": factories.PARTNER_PASSWORD}
PROFILE = {"organisation": "Partner A Org", "proposed_organisation_name": ""}
PASSWORD_RESET = {"email": "a@example.org"}
NEW_PASSWORD = {"new_password1": "another-long-password-9", "new_password2": "another-long-password-9"}
PASSWORD_CHANGE = {"old_password": factories.PARTNER_PASSWORD, **NEW_PASSWORD}
API_TOKEN = {"action": "revoke"}
LANGUAGE = {"language": "zh-hans", "next": "/initiatives/"}


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_posts(SIGN_UP))
def test_sign_up_never_answers_500(client, partner_a, data):
    assert_answered(client.post(reverse("accounts:signup"), data))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_posts(SIGN_IN))
def test_sign_in_never_answers_500(client, partner_a, data):
    assert_answered(client.post(reverse("login"), data))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_posts(PASSWORD_RESET))
def test_password_reset_never_answers_500(client, partner_a, data):
    assert_answered(client.post(reverse("password_reset"), data))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_posts(NEW_PASSWORD))
def test_setting_a_new_password_from_the_emailed_link_never_answers_500(client, partner_a, data):
    uid = urlsafe_base64_encode(force_bytes(partner_a.pk))
    link = reverse(
        "password_reset_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(partner_a)},
    )
    form_url = client.get(link).url  # the link moves its token into the session

    assert_answered(client.post(form_url, data))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_posts(PASSWORD_CHANGE))
def test_password_change_never_answers_500(client, partner_a, data):
    client.force_login(partner_a)
    assert_answered(client.post(reverse("password_change"), data))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_posts(PROFILE))
def test_profile_never_answers_500(client, partner_a, data):
    client.force_login(partner_a)
    assert_answered(client.post(reverse("accounts:profile"), data))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_posts(API_TOKEN))
def test_api_token_form_never_answers_500(client, partner_a, data):
    client.force_login(partner_a)
    assert_answered(client.post(reverse("accounts:api-token"), data))


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=form_posts(LANGUAGE))
def test_language_switch_never_answers_500(client, data):
    assert_answered(client.post(reverse("set_language"), data))
