"""Form fields that the partner-facing apps (accounts, workflow) share: choosing a catalogue
organisation by name or proposing a new one, and a honeypot against bots. The catalogue's own
pages have no forms but their FilterSets (filters.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .languages import text_in
from .models import Organisation


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


class OrganisationInput(forms.TextInput):
    """A text box for an organisation's name. It ships no names (there are 10,000 and more):
    where scripts run, static/js/organisation-suggest.js fills its datalist with the names
    near what is typed, from /api/v1/organisations/near/."""

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id', name)}-options"
        attrs = {
            **(attrs or {}),
            "list": list_id,
            "autocomplete": "off",
            "data-organisation-suggest": reverse("api:organisation-near"),
        }
        return super().render(name, value, attrs, renderer) + format_html(
            '<datalist id="{}"></datalist>', list_id
        )


class OrganisationNamesInput(forms.Textarea):
    """Organisations' names, one a line. It ships no names: where scripts run,
    static/js/submission-form.js makes it a picker that asks /api/v1/organisations/near/."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 3, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-organisation-suggest"] = reverse("api:organisation-near")
        return context


def label_in_current_language(record):
    """A choice's label: the Chinese name in the Chinese interface, where there is one."""
    return record.display_name


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by id, where an id too large for the database's integers is an
    invalid choice: it went into the query unchecked (SQLite raised OverflowError, a 500)."""

    def _check_values(self, value):
        low, high = connection.ops.integer_field_range("BigIntegerField")
        for pk in value:
            try:
                valid = low <= int(str(pk)) <= high
            except ValueError:
                valid = True  # not a number: Django's own check says so
            if not valid:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class OrganisationChoiceField(forms.ModelChoiceField):
    """An existing organisation, chosen by typing its name (English or Chinese)."""

    widget = OrganisationInput
    # How many near names a name that matches none is answered with.
    SUGGESTIONS = 5

    def __init__(self, **kwargs):
        super().__init__(queryset=Organisation.objects.all(), **kwargs)
        self.suggestions = []

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
        # The name goes into a query before validators run, so it is checked first as a
        # CharField would check it: PostgreSQL cannot take a NUL character (psycopg raises
        # ValueError) and SQLite refuses a LIKE pattern over 50,000 bytes (both a 500).
        ProhibitNullCharactersValidator()(value)
        MaxLengthValidator(Organisation._meta.get_field("name").max_length)(value)
        organisation = self.queryset.filter(Q(name__iexact=value) | Q(name_zh_hans=value)).first()
        if organisation is None:
            self.suggestions = [near.name for near in self.queryset.near(value, limit=self.SUGGESTIONS)]
            if self.suggestions:
                raise ValidationError(
                    _(
                        "No organisation named “%(name)s” is in the catalogue. Did you mean: "
                        "%(suggestions)s? Or propose it as a new one."
                    ),
                    code="invalid_choice",
                    params={"name": value, "suggestions": ", ".join(self.suggestions)},
                )
            raise ValidationError(
                _("No organisation named “%(name)s” is in the catalogue; propose it as a new one."),
                code="invalid_choice",
                params={"name": value},
            )
        return organisation


class OrganisationNamesField(forms.Field):
    """Several existing organisations, each named on a line of its own (English or Chinese
    name, any case), found in one query: a select of every organisation would ship them all
    (10,000 and more). A name that matches none is refused with the near names."""

    widget = OrganisationNamesInput
    MAX_NAMES = 20

    def prepare_value(self, value):
        if isinstance(value, str) or value is None:
            return value or ""
        records = list(value)
        ids = [record for record in records if not isinstance(record, Organisation)]
        named = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
        return "\n".join(
            # English, as typed names are matched (to_python): the English or the Chinese name.
            text_in(record, "name", "en") if isinstance(record, Organisation) else named.get(int(record), "")
            for record in records
        )

    def to_python(self, value):
        names = []
        for line in (value or "").splitlines():
            name = line.strip()
            if name and name.casefold() not in {known.casefold() for known in names}:
                ProhibitNullCharactersValidator()(name)
                MaxLengthValidator(Organisation._meta.get_field("name").max_length)(name)
                names.append(name)
        if len(names) > self.MAX_NAMES:
            raise ValidationError(
                _("Name at most %(limit)s organisations."), code="too_many", params={"limit": self.MAX_NAMES}
            )
        if not names:
            return []
        matching = Q()
        for name in names:
            matching |= Q(name__iexact=name) | Q(name_zh_hans=name)
        found = list(Organisation.objects.filter(matching))
        chosen, errors = [], []
        for name in names:
            record = next(
                (o for o in found if name.casefold() == o.name.casefold() or name == o.name_zh), None
            )
            if record is not None:
                chosen.append(record)
                continue
            near = [
                o.name for o in Organisation.objects.near(name, limit=OrganisationChoiceField.SUGGESTIONS)
            ]
            if near:
                message = _(
                    "No organisation named “%(name)s” is in the catalogue. Did you mean: %(suggestions)s?"
                )
                errors.append(
                    ValidationError(
                        message, code="invalid_choice", params={"name": name, "suggestions": ", ".join(near)}
                    )
                )
            else:
                errors.append(
                    ValidationError(
                        _("No organisation named “%(name)s” is in the catalogue."),
                        code="invalid_choice",
                        params={"name": name},
                    )
                )
        if errors:
            raise ValidationError(errors)
        return chosen


def check_one_organisation(organisation, proposed_name):
    """An organisation is named once: one from the catalogue, or a new one proposed by name.
    (A partner's profile, a submission form and the submissions API all apply this rule.)"""
    if organisation and proposed_name:
        raise ValidationError(
            _("Choose an organisation from the catalogue or propose a new one, not both."), code="both"
        )
    if not organisation and not proposed_name:
        raise ValidationError(
            _("Choose the lead organisation from the catalogue, or propose a new one."), code="missing"
        )


def check_organisation(form, chosen_field, proposed_field):
    """Apply the one-organisation rule to a form that offers a choice or a proposal."""
    if chosen_field in form.errors:
        return
    try:
        check_one_organisation(form.cleaned_data.get(chosen_field), form.cleaned_data.get(proposed_field))
    except ValidationError as error:
        form.add_error(chosen_field, error)


def country_choices():
    return [("", "---------"), *countries]
