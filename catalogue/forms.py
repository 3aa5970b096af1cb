"""Forms partners and editors fill in: sign-up and profile, the submission form with its
three formsets (key figures, requirements addressed, sources), and the review decision."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import validators
from .models import (
    Initiative,
    KeyFigure,
    Organisation,
    PartnerProfile,
    RequirementAlignment,
    SubmittedSource,
)
from .workflow import DECISIONS, MANY_FIELDS, SCALAR_FIELDS

# --- Shared fields -----------------------------------------------------------------------------


class HoneypotField(forms.CharField):
    """A field people never see (it is rendered `hidden`) and bots fill in; a value in it
    fails validation."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Leave this field empty"))
        kwargs.setdefault("template_name", "catalogue/forms/honeypot.html")
        super().__init__(required=False, **kwargs)
        self.widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def validate(self, value):
        super().validate(value)
        if value:
            raise ValidationError(_("This form could not be sent; please try again."), code="honeypot")


class DatalistInput(forms.TextInput):
    """A text box that suggests the names in `options` as the user types (an HTML datalist:
    searchable without JavaScript)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.options = ()

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id', name)}-options"
        attrs = {**(attrs or {}), "list": list_id, "autocomplete": "off"}
        options = format_html_join("", '<option value="{}"></option>', ((option,) for option in self.options))
        return super().render(name, value, attrs, renderer) + format_html(
            '<datalist id="{}">{}</datalist>', list_id, options
        )


def label_in_current_language(record):
    """A choice's label: the Chinese name in the Chinese interface, where there is one."""
    return record.display_name


class OrganisationChoiceField(forms.ModelChoiceField):
    """An existing organisation, chosen by typing its name (English or Chinese)."""

    widget = DatalistInput

    def __init__(self, **kwargs):
        super().__init__(queryset=Organisation.objects.all(), **kwargs)
        self.widget.options = self.queryset.values_list("name", flat=True)

    def prepare_value(self, value):
        if isinstance(value, Organisation):
            return value.name
        if isinstance(value, int):
            return self.queryset.filter(pk=value).values_list("name", flat=True).first() or ""
        return value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        organisation = self.queryset.filter(Q(name__iexact=value) | Q(name_zh=value)).first()
        if organisation is None:
            raise ValidationError(
                _("No organisation named “%(name)s” is in the catalogue; propose it as a new one."),
                code="invalid_choice",
                params={"name": value},
            )
        return organisation


def check_organisation(form, chosen_field, proposed_field):
    """Apply the one-organisation rule to a form that offers a choice or a proposal."""
    if chosen_field in form.errors:
        return
    try:
        validators.check_lead_organisation(
            form.cleaned_data.get(chosen_field), form.cleaned_data.get(proposed_field)
        )
    except ValidationError as error:
        form.add_error(chosen_field, error)


def country_choices():
    return [("", "---------"), *countries]


# --- Accounts ---------------------------------------------------------------------------------


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


# --- Submissions --------------------------------------------------------------------------------


class InitiativeSubmissionForm(forms.ModelForm):
    """The initiative itself; its key figures, requirements and sources are formsets."""

    lead_organisation = OrganisationChoiceField(
        label=_("Lead organisation"),
        required=False,
        help_text=_("Start typing to find it in the catalogue. If it is not there, propose it below."),
    )
    new_organisation_name = forms.CharField(
        label=_("New organisation: name"),
        max_length=200,
        required=False,
        help_text=_("Only if the lead organisation is not in the catalogue yet."),
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("New organisation: kind"),
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.OTHER,
        required=False,
    )
    new_organisation_country = forms.ChoiceField(
        label=_("New organisation: country"), choices=country_choices, required=False
    )
    new_organisation_website = forms.URLField(
        label=_("New organisation: website"),
        required=False,
        max_length=300,
        assume_scheme="https",
        validators=[validators.validate_web_url],
    )
    # Identifies this copy of the form, so that posting it twice creates one draft.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    nickname = HoneypotField()

    class Meta:
        model = Initiative
        fields = [
            "title",
            "title_zh",
            "summary",
            "summary_zh",
            "lead_organisation",
            "partners",
            "sectors",
            "technologies",
            "beneficiary_groups",
            "countries",
            "start_year",
            "website",
            "children_focus",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6, "maxlength": validators.SUMMARY_MAX_LENGTH}),
            "summary_zh": forms.Textarea(attrs={"rows": 4, "maxlength": validators.SUMMARY_MAX_LENGTH}),
            "partners": forms.SelectMultiple(attrs={"size": 8}),
            "sectors": forms.CheckboxSelectMultiple,
            "technologies": forms.CheckboxSelectMultiple,
            "beneficiary_groups": forms.CheckboxSelectMultiple,
            "countries": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "title": _("The initiative's name in English, as its organisers use it."),
            "title_zh": _("Optional: the Chinese name, if it has one."),
            "summary_zh": _("Optional: the summary in Chinese."),
            "partners": _("Other organisations involved. Hold Ctrl (⌘ on a Mac) to choose several."),
            "sectors": _("At least one."),
            "countries": _("Where it runs. Hold Ctrl (⌘ on a Mac) to choose several."),
            "start_year": _("The year it started, e.g. 2021."),
            "website": _("The initiative's own web page, starting with https://"),
        }

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for name in ["partners", "sectors", "technologies", "beneficiary_groups"]:
            self.fields[name].label_from_instance = label_in_current_language
        self.fields["summary"].validators.append(validators.validate_summary_length)
        self.fields["summary_zh"].validators.append(validators.validate_summary_length)
        self.fields["start_year"].validators.append(validators.validate_start_year)
        self.fields["website"].validators.append(validators.validate_web_url)
        self.fields["website"].assume_scheme = "https"
        if not self.is_bound and not self.instance.pk:
            self.initial["submission_key"] = uuid.uuid4()
        proposed = getattr(self.instance, "proposed_organisation", None) if self.instance.pk else None
        if proposed:
            self.initial.update(
                new_organisation_name=proposed.name,
                new_organisation_kind=proposed.kind,
                new_organisation_country=proposed.country.code or "",
                new_organisation_website=proposed.website,
            )

    def clean(self):
        cleaned = super().clean()
        check_organisation(self, "lead_organisation", "new_organisation_name")
        return cleaned

    def content(self):
        data = self.cleaned_data
        content = {name: data[name] for name in SCALAR_FIELDS + MANY_FIELDS}
        content["proposed_organisation"] = (
            {
                "name": data["new_organisation_name"],
                "kind": data["new_organisation_kind"] or Organisation.Kind.OTHER,
                "country": data["new_organisation_country"],
                "website": data["new_organisation_website"],
            }
            if data["new_organisation_name"]
            else None
        )
        return content


class KeyFigureForm(forms.ModelForm):
    class Meta:
        model = KeyFigure
        fields = ["text", "text_zh"]
        help_texts = {"text": _("A number that shows scale or effect, e.g. “2 million children reached”.")}


class RequirementAlignmentForm(forms.ModelForm):
    class Meta:
        model = RequirementAlignment
        fields = ["requirement", "rationale"]
        labels = {"requirement": _("UNICEF requirement")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].label_from_instance = lambda requirement: (
            f"{requirement.number}. {requirement.display_name}"
        )


class SubmittedSourceForm(forms.ModelForm):
    class Meta:
        model = SubmittedSource
        fields = ["title", "url", "reference"]
        help_texts = {"url": _("A link to the document or page, starting with https://")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].validators.append(validators.validate_web_url)
        self.fields["url"].assume_scheme = "https"


class BaseSubmissionFormSet(forms.BaseFormSet):
    def kept_forms(self):
        """The filled-in forms the partner did not tick for deletion."""
        # An untouched extra row is skipped by validation and has empty cleaned_data.
        return [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]

    def rows(self):
        return [{name: form.cleaned_data[name] for name in form._meta.fields} for form in self.kept_forms()]


class BaseRequirementAlignmentFormSet(BaseSubmissionFormSet):
    def clean(self):
        if not any(self.errors):
            validators.check_distinct_requirements(
                [form.cleaned_data["requirement"] for form in self.kept_forms()]
            )


def _formset(form, extra, max_num, base=BaseSubmissionFormSet):
    return forms.formset_factory(
        form, formset=base, extra=extra, max_num=max_num, validate_max=True, can_delete=True
    )


KeyFigureFormSet = _formset(KeyFigureForm, 2, validators.MAX_KEY_FIGURES)
RequirementAlignmentFormSet = _formset(
    RequirementAlignmentForm, 2, validators.MAX_REQUIREMENTS, BaseRequirementAlignmentFormSet
)
SubmittedSourceFormSet = _formset(SubmittedSourceForm, 2, validators.MAX_SOURCES)


class SubmissionForms:
    """The submission form and its formsets, bound, validated and read as one."""

    def __init__(self, data=None, *, user, initiative=None):
        self.form = InitiativeSubmissionForm(data, user=user, instance=initiative or Initiative())

        def rows(relation, *fields):
            return list(getattr(initiative, relation).values(*fields)) if initiative else None

        self.key_figures = KeyFigureFormSet(
            data, prefix="key_figures", initial=rows("key_figures", "text", "text_zh")
        )
        self.alignments = RequirementAlignmentFormSet(
            data, prefix="alignments", initial=rows("alignments", "requirement", "rationale")
        )
        self.sources = SubmittedSourceFormSet(
            data, prefix="sources", initial=rows("submitted_sources", "title", "url", "reference")
        )

    @property
    def formsets(self):
        return [self.key_figures, self.alignments, self.sources]

    def is_valid(self):
        return all([self.form.is_valid()] + [formset.is_valid() for formset in self.formsets])

    @property
    def key(self):
        return self.form.cleaned_data.get("submission_key")

    def content(self):
        content = self.form.content()
        content["key_figures"] = self.key_figures.rows()
        content["alignments"] = self.alignments.rows()
        content["sources"] = self.sources.rows()
        return content

    def context(self):
        return {
            "form": self.form,
            "key_figures": self.key_figures,
            "alignments": self.alignments,
            "sources": self.sources,
        }


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("publish", _("Publish")),
            ("request_changes", _("Request changes")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the partner"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        help_text=_("Required when you request changes or reject: the partner reads it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in ("request_changes", "reject") and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say what the partner should change, or why it is rejected."))
        return cleaned

    def decide(self, initiative, actor):
        return DECISIONS[self.cleaned_data["decision"]](initiative, actor, self.cleaned_data["note"])
