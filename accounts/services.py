"""Partner accounts: sign-up with email confirmation, and API tokens."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from casebook.site import site_url
from catalogue.models import ApiToken, PartnerProfile
from outbox.mail import queue_mail

from .limits import may_mail


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Django's signed, expiring token, also bound to `is_active`: once the account is
    confirmed, the link stops working (and cannot re-open an account an editor closed)."""

    key_salt = "casebook.accounts.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


confirmation_tokens = EmailConfirmationTokenGenerator()


def register_partner(form, request):
    """Create an inactive account with its profile from a valid SignUpForm, and email the
    confirmation link once the records are saved.

    The page answers the same whether or not the address already has an account (so the
    form cannot tell anyone who is registered); the mail differs. An account still waiting
    for its confirmation (its first mail may have been lost) gets the link again; any other
    account is told that someone tried to sign up with its address. Returns the new user, or
    None when the address was taken.
    """
    email = form.cleaned_data["email"]
    existing = account_for(email)
    if existing is None:
        try:
            with transaction.atomic():
                user = form.save()
                PartnerProfile.objects.create(
                    user=user,
                    organisation=form.cleaned_data.get("organisation"),
                    proposed_organisation_name=form.cleaned_data.get("proposed_organisation_name", ""),
                    language=sign_up_language(),
                )
                send_confirmation(user, request)
            return user
        except IntegrityError:
            # The same address signed up at the same moment and won the unique username.
            existing = account_for(email)
            if existing is None:
                raise
    if not existing.is_active and existing.last_login is None:
        send_confirmation(existing, request)
    else:
        send_signup_attempt_notice(existing, request)
    return None


def sign_up_language():
    """The language the sign-up page was read in (one of settings.LANGUAGES): the site's mail
    to the new partner is written in it until they choose another on their profile."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def account_for(email):
    return get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()


def confirmation_url(user, request):
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = confirmation_tokens.make_token(user)
    path = reverse("accounts:confirm", kwargs={"uidb64": uidb64, "token": token})
    return site_url() + path


def send_confirmation(user, request):
    context = {"user": user, "confirm_url": confirmation_url(user, request)}
    send_account_mail(user, "accounts/email/confirmation", context)


def send_signup_attempt_notice(user, request):
    context = {
        "user": user,
        "login_url": site_url() + reverse("login"),
        "reset_url": site_url() + reverse("password_reset"),
    }
    send_account_mail(user, "accounts/email/signup_attempt", context)


def send_account_mail(user, template, context):
    """Queue `template`_subject.txt and .txt to the user, unless their address has had its
    hourly share of account mail (then nothing is sent, and the page says the same)."""
    if not may_mail(user.email):
        return
    queue_mail(
        render_to_string(f"{template}_subject.txt", context).strip(),
        render_to_string(f"{template}.txt", context),
        [user.email],
    )


def user_to_confirm(uidb64, token):
    """The inactive user a confirmation link names, or None when the link is not valid."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = get_user_model().objects.get(pk=pk, is_active=False)
    except (ValueError, OverflowError, get_user_model().DoesNotExist):
        return None
    return user if confirmation_tokens.check_token(user, token) else None


def activate(user):
    user.is_active = True
    user.save(update_fields=["is_active"])


def create_api_token(user, name, expires_at=None):
    """A new API token for the user, and its key: the only time the key is known, since only
    its hash is stored."""
    key = ApiToken.new_key()
    token = ApiToken(user=user, name=name, expires_at=expires_at)
    token.set_key(key)
    token.save()
    return token, key


def revoke_api_token(user, pk):
    """Delete one of the user's tokens (pk as posted); requests using it are refused from now
    on. False when the user has no such token."""
    try:
        pk = int(pk)
    except ValueError:
        return False
    return ApiToken.objects.filter(user=user, pk=pk).delete()[0] > 0
