"""Bad input on the account forms gets a form error, never a 500: a NUL character (which
PostgreSQL refuses in any query), and whatever Hypothesis generates for every field."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalogue.models import PartnerProfile
from tests import factories

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
