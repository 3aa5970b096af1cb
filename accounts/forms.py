"""The partner's account forms: sign-in by email, sign-up, and the profile naming their
organisation."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.forms import HoneypotField, OrganisationChoiceField, check_organisation
from catalogue.models import ApiToken, PartnerProfile


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
        email = self.cleaned_data["email"].strip().lower()
        users = get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        if users.exists():
            raise ValidationError(
                _("An account with this email already exists; sign in or reset its password.")
            )
        return email

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
        fields = ["organisation", "proposed_organisation_name"]

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
