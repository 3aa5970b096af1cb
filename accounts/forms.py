"""The partner's account forms: sign-in by email, sign-up, and the profile naming their
organisation."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.forms import HoneypotField, OrganisationChoiceField, check_organisation
from catalogue.models import ApiToken, PartnerProfile
from outbox.mail import queue_mail

from .limits import may_mail


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with the email address (which is also the username)."""

    username = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True}))

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class SignUpForm(BaseUserCreationForm):
    organisation = OrganisationChoiceField(
        label=_("Your organisation"),
        required=False,
        help_text=_("Start typing its name. If it is not in the catalogue, fill in the next field instead."),
    )
    proposed_organisation_name = forms.CharField(
        label=_("…or the name of your organisation"),
        max_length=200,
        required=False,
        help_text=_("An editor adds it to the catalogue when your first case is published."),
    )
    nickname = HoneypotField()

    class Meta:
        model = get_user_model()
        fields = ["email", "first_name", "last_name"]
        help_texts = {
            "email": _("We send a link to this address to confirm it. It is also your sign-in name.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_email(self):
        # Whether the address already has an account is not said here, where anyone could
        # ask: services.register_partner answers the same either way and mails the address.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        check_organisation(self, "organisation", "proposed_organisation_name")
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = user.email
        user.is_active = False  # until the emailed link is followed
        if commit:
            user.save()
        return user


class PartnerProfileForm(forms.ModelForm):
    organisation = OrganisationChoiceField(
        label=_("Your organisation"),
        required=False,
        help_text=PartnerProfile._meta.get_field("organisation").help_text,
    )

    class Meta:
        model = PartnerProfile
        fields = ["organisation", "proposed_organisation_name", "submission_mail", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without the choice (an older copy of the page) keeps the one saved.
        self.fields["submission_mail"].required = False
        self.fields["language"].required = False

    def clean_submission_mail(self):
        return self.cleaned_data["submission_mail"] or self.instance.submission_mail

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language

    def clean(self):
        cleaned = super().clean()
        check_organisation(self, "organisation", "proposed_organisation_name")
        return cleaned

    def save(self, commit=True):
        # A changed organisation needs an editor's confirmation again before colleagues'
        # drafts are shared.
        if "organisation" in self.changed_data:
            self.instance.organisation_confirmed = False
        return super().save(commit)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the mail queued for the worker (a mail server that is down
    delays it, and fails nothing) and at most ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR account mails
    to one address an hour (more requests get the same page, and no mail)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        if not may_mail(to_email):
            return
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        queue_mail(subject, render_to_string(email_template_name, context), [to_email])


class ApiTokenForm(forms.ModelForm):
    """A new API token: its name and how long it lasts."""

    LIFETIMES = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("1 year")),
        ("", _("No expiry")),
    ]

    lifetime = forms.ChoiceField(label=_("Expires after"), choices=LIFETIMES, initial="90", required=False)

    class Meta:
        model = ApiToken
        fields = ["name"]

    def expires_at(self):
        days = self.cleaned_data.get("lifetime")
        return timezone.now() + timedelta(days=int(days)) if days else None
