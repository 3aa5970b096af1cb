"""The FilterSets behind both the browse pages and the API.

The query string is the public contract: `/initiatives/?sector=education&requirement=safety`
and `/api/v1/initiatives/?sector=education&requirement=safety` return the same records.
Related records are filtered by slug; repeating a parameter selects any of the values (OR),
different parameters must all match (AND).
"""

import datetime
import re

import django_filters
from django import forms
from django.core.validators import validate_slug
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters.fields import IsoDateTimeField, ModelMultipleChoiceField

from .facets import FACETS, having_keys, selected_options, start_year_keys
from .models import (
    BeneficiaryGroup,
    Initiative,
    Organisation,
    Publication,
    RemovedInitiative,
    Requirement,
    Sector,
    Source,
    Task,
    Technology,
    ToolProfile,
)


def without_empty_values(query):
    """`query` (a QueryDict) without its empty values. A submitted HTML form sends every
    field, filled in or not, so `?q=&sector=` means "no search, no sector" on every door."""
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        if values := [value for value in values if value != ""]:
            kept.setlist(name, values)
    return kept


class WholeNumberField(forms.IntegerField):
    """An integer written in digits (a sign and spaces around allowed), as the API's schema
    says: Django's IntegerField also takes "2.0" (and "1837569321732782.0", which
    schemathesis's negative run found a year filter answered 200 to)."""

    DIGITS = re.compile(r"[+-]?[0-9]+")

    def to_python(self, value):
        if value not in self.empty_values and not self.DIGITS.fullmatch(str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class PageNumberField(WholeNumberField):
    """`?page=`, in digits, as the paginators read it. Whether the page exists is the
    paginator's business."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)


class QueryStringForm(forms.Form):
    """The FilterSets' form: it validates the whole query string, not only the filters.

    A parameter that takes one value but arrives several times is an error, not silently read
    as its last value. A parameter that is neither a filter nor one of the door's own
    (`door_parameters`: pagination, format…) is an error naming it: a misspelt filter would
    otherwise return everything, unfiltered, and the client would never know.
    """

    def __init__(self, *args, door_parameters=None, **kwargs):
        super().__init__(*args, **kwargs)
        # {name: a form field validating its value, or None for "checked elsewhere"}
        self.door_parameters = door_parameters or {}

    def clean(self):
        cleaned = super().clean()
        for name in self.data:
            field = self.fields.get(name, self.door_parameters.get(name))
            if name not in self.fields and name not in self.door_parameters:
                self.add_parameter_error(name, self.unknown_parameter_message(name))
            elif field is not None and not self.is_repeatable(field) and len(self.data.getlist(name)) > 1:
                self.add_parameter_error(name, _("Give this parameter once."))
            elif name not in self.fields and field is not None:
                try:
                    field.clean(self.data.get(name))
                except forms.ValidationError as error:
                    self.add_parameter_error(name, *error.messages)
        return cleaned

    @staticmethod
    def is_repeatable(field):
        return isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)

    def unknown_parameter_message(self, name):
        known = ", ".join(sorted([*self.fields, *self.door_parameters]))
        return _("Unknown parameter “%(name)s”; this list takes %(known)s.") % {"name": name, "known": known}

    def add_parameter_error(self, name, *messages):
        """An error keyed by the parameter's name, whether or not it is one of the form's
        fields (Form.add_error only takes fields), so that the API answers {name: [message]}."""
        if name in self.fields:
            for message in messages:
                self.add_error(name, message)
            return
        errors = self._errors.setdefault(name, self.error_class())
        # The message is passed as a parameter, not as the template: it may quote the client's
        # parameter name, and a "%" in it would break whoever formats the message (a 500).
        errors.extend(
            forms.ValidationError("%(message)s", code="invalid", params={"message": message})
            for message in messages
        )

    def parameter_errors(self):
        """[(parameter, [message, …]), …] for the errors that belong to no form field: the page
        shows them beside the field errors."""
        return [
            (name, errors)
            for name, errors in self.errors.items()
            if name not in self.fields and name != "__all__"
        ]


class QueryStringFilterSet(django_filters.FilterSet):
    """A FilterSet bound to a whole query string: empty values are "not given", and the door
    (page or API) names the parameters it reads itself, so any other is an error."""

    def __init__(self, data=None, *args, door_parameters=None, **kwargs):
        super().__init__(None if data is None else without_empty_values(data), *args, **kwargs)
        self.door_parameters = door_parameters or {}

    @property
    def form(self):
        if not hasattr(self, "_form"):
            Form = self.get_form_class()
            data = self.data if self.is_bound else None
            self._form = Form(data, prefix=self.form_prefix, door_parameters=self.door_parameters)
        return self._form

    class Meta:
        form = QueryStringForm


def check_slugs(field, slugs):
    """An invalid-choice error for the first value that is not a slug, so text the database
    cannot compare (a NUL character, say) is a validation error rather than a database error."""
    for slug in slugs:
        try:
            validate_slug(slug)
        except forms.ValidationError:
            raise forms.ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": slug}
            ) from None


class SlugMultipleChoiceField(ModelMultipleChoiceField):
    """Checks that each value is a slug before looking it up."""

    def _check_values(self, value):
        check_slugs(self, value)
        return super()._check_values(value)


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Select related records by slug; an unknown slug is a validation error, not ignored.

    The match is a `pk IN (subquery)`, not a join: a join over a many-to-many relation repeats
    a record once per matching value, and the `SELECT DISTINCT` that removes the repeats
    compares whole rows (summaries included) and sorts the whole result first.
    """

    field_class = SlugMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        everything = qs.model._base_manager.all()
        matching = super().filter(everything, value)
        if matching is everything:  # nothing selected
            return qs
        return qs.filter(pk__in=matching.values("pk"))


class RequirementMultipleChoiceField(SlugMultipleChoiceField):
    """A requirement by its slug or by its number: the lists, the CSV and the detail URLs show
    the number, and a filter takes what the lists return."""

    NUMBER = re.compile(r"[0-9]{1,4}")  # bounded, so the database never sees an overflowing integer

    def _check_values(self, value):
        numbers = {int(v) for v in value if self.NUMBER.fullmatch(v)}
        slugs = {v for v in value if not self.NUMBER.fullmatch(v)}
        check_slugs(self, slugs)
        found = self.queryset.filter(Q(number__in=numbers) | Q(slug__in=slugs))
        known = {str(requirement.number) for requirement in found} | {r.slug for r in found}
        for v in value:
            if v not in known:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": v}
                )
        return found


class RequirementMultipleChoiceFilter(SlugMultipleChoiceFilter):
    field_class = RequirementMultipleChoiceField


class YearFilter(django_filters.NumberFilter):
    """A year: a whole number in digits (2021, not 2021.5 or 2021.0)."""

    field_class = WholeNumberField


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false`; anything else (1, yes, True) is an error, where Django's select
    widget would quietly read it as "either" and return everything."""

    widget = forms.TextInput
    VALUES = {"true": True, "false": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if value not in self.VALUES:
            raise forms.ValidationError(_("Enter true or false."), code="invalid")
        return self.VALUES[value]

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StorableDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time the database can compare with: one that is still a valid
    date-time once converted to UTC (9999-12-31T23:00-05:00 is not), converted to UTC."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None:
            try:
                # Given to the database in UTC: PostgreSQL refuses an offset beyond ±15:59 (a
                # 500), though ISO 8601 and Python accept up to ±23:59.
                return value.astimezone(datetime.UTC)
            except OverflowError:
                raise forms.ValidationError(
                    _("Enter a date-time between the years 1 and 9999 in UTC.")
                ) from None
        return value


class StorableDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = StorableDateTimeField


class InitiativeQueryForm(QueryStringForm):
    def clean(self):
        cleaned = super().clean()
        earliest, latest = cleaned.get("year_min"), cleaned.get("year_max")
        if earliest is not None and latest is not None and earliest > latest:
            # A reversed range matches nothing: say so rather than answer an empty list.
            self.add_error(
                "year_max",
                _(
                    "%(latest)s is before %(earliest)s, the “Started in or after” year: "
                    "no initiative can match."
                )
                % {"latest": latest, "earliest": earliest},
            )
        return cleaned


def is_given(value):
    """Whether a filter's cleaned value selects something (`False` of a yes/no filter does)."""
    if value is None or value == "":
        return False
    if isinstance(value, QuerySet):
        return not value.query.is_empty()
    if isinstance(value, (list, tuple, set)):
        return bool(value)
    return True


class InitiativeFilterSet(QueryStringFilterSet):
    ORDERINGS = {
        "relevance": None,  # search order when `q` is given, otherwise title
        # Each ends in the id, so that pages never share or skip a row of equal titles; the
        # indexes of Initiative.Meta serve these orders.
        # The latest published first (what tools that poll and readers who return want).
        "newest": [
            F("published_at").desc(nulls_last=True),
            F("start_year").desc(nulls_last=True),
            "title",
            "pk",
        ],
        # The latest start year first and cases without one last (most sources give none),
        # then the latest published.
        "start_year": [
            F("start_year").desc(nulls_last=True),
            F("published_at").desc(nulls_last=True),
            "title",
            "pk",
        ],
        # The title the reader sees, in their language's collation: a queryset method, since
        # it depends on the request's language.
        "title": "in_title_order",
    }

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    sector = SlugMultipleChoiceFilter(
        field_name="sectors__slug", queryset=Sector.objects.all(), label=_("Sector")
    )
    organisation = SlugMultipleChoiceFilter(
        queryset=Organisation.objects.all(),
        method="filter_organisation",
        label=_("Organisation"),
        help_text=_("Lead or partner organisation."),
    )
    organisation_kind = django_filters.MultipleChoiceFilter(
        field_name="lead_organisation__kind",
        choices=Organisation.Kind.choices,
        label=_("Kind of lead organisation"),
    )
    source = SlugMultipleChoiceFilter(
        field_name="sources__slug", queryset=Source.objects.all(), label=_("Source document")
    )
    requirement = RequirementMultipleChoiceFilter(
        field_name="requirements__slug",
        queryset=Requirement.objects.all(),
        label=_("UNICEF requirement"),
    )
    technology = SlugMultipleChoiceFilter(
        field_name="technologies__slug", queryset=Technology.objects.all(), label=_("AI technology")
    )
    beneficiary = SlugMultipleChoiceFilter(
        field_name="beneficiary_groups__slug",
        queryset=BeneficiaryGroup.objects.all(),
        label=_("Beneficiaries"),
    )
    country = django_filters.MultipleChoiceFilter(
        choices=countries, method="filter_country", label=_("Country")
    )
    year_min = YearFilter(field_name="start_year", lookup_expr="gte", label=_("Started in or after"))
    year_max = YearFilter(
        field_name="start_year",
        lookup_expr="lte",
        label=_("Started in or before"),
        help_text=_("Not before year_min, when both are given."),
    )
    children_focus = StrictBooleanFilter(label=_("Focused on children"))
    # Tool profiles (catalogue/models/tools.py): only initiatives described as tools match.
    task = SlugMultipleChoiceFilter(
        field_name="tool_profile__tasks__slug", queryset=Task.objects.all(), label=_("Task supported")
    )
    # One profile an initiative: the join repeats no row, so no DISTINCT.
    deployment = django_filters.MultipleChoiceFilter(
        field_name="tool_profile__deployment",
        choices=ToolProfile.Deployment.choices,
        distinct=False,
        label=_("Deployment"),
    )
    licence = django_filters.MultipleChoiceFilter(
        field_name="tool_profile__licence",
        choices=ToolProfile.Licence.choices,
        distinct=False,
        label=_("Cost and licence"),
    )
    ordering = django_filters.ChoiceFilter(
        choices=[
            ("relevance", _("Relevance")),
            ("newest", _("Newest")),
            ("start_year", _("Latest start year")),
            ("title", _("Title")),
        ],
        method="filter_ordering",
        label=_("Sort by"),
        empty_label=None,
    )
    # For tools that sync; not in the page's sidebar, but the page takes it as the API does.
    updated_since = StorableDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Updated since"),
        help_text=_(
            "Only initiatives changed at or after this ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z."
        ),
    )

    class Meta(QueryStringFilterSet.Meta):
        model = Initiative
        fields = []
        form = InitiativeQueryForm

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_organisation(self, queryset, name, organisations):
        if not organisations:
            return queryset
        # A subquery for partners rather than a join, for the reason SlugMultipleChoiceFilter gives.
        partnered = Initiative.partners.through.objects.filter(organisation__in=organisations)
        return queryset.filter(
            Q(lead_organisation__in=organisations) | Q(pk__in=partnered.values("initiative_id"))
        )

    def filter_country(self, queryset, name, codes):
        # django-countries stores several codes as "CN,US"; two-letter codes separated by
        # commas cannot match across a boundary, so a substring test is exact.
        if not codes:
            return queryset
        # (On PostgreSQL the facet keys answer it instead: filter_queryset_except.)
        matches = Q()
        for code in codes:
            matches |= Q(countries__contains=code)
        return queryset.filter(matches)

    def filter_ordering(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset, so that it can see the search

    def filter_queryset(self, queryset):
        queryset = self.filter_queryset_except(None, queryset)
        order = self.form.cleaned_data.get("ordering") or "relevance"
        order_by = self.ORDERINGS[order]
        if order_by is None and self.form.cleaned_data.get("q"):
            return queryset
        if order_by is None:
            order_by = self.ORDERINGS["title"]
        if isinstance(order_by, str):
            return getattr(queryset, order_by)()
        return queryset.order_by(*order_by)

    def filter_queryset_except(self, excluded, queryset=None):
        """The valid filters applied, all but `excluded`: what facet counts are taken over.

        Reuses the form's cleaned data, so facets do not validate the query string again. On
        PostgreSQL every filter that is a facet with keys, and a short range of start years,
        are answered together by one search of the facet keys' GIN index (`keyed_filters`).
        """
        queryset = self.queryset.all() if queryset is None else queryset
        cleaned = {name: value for name, value in self.form.cleaned_data.items() if name != excluded}
        keyed, any_of = set(), []
        if connections[queryset.db].vendor == "postgresql":
            keyed, any_of = self.keyed_filters(cleaned)
        for name, value in cleaned.items():
            # A filter given nothing is skipped rather than asked: each would still build
            # its queryset to find that out (~2 ms a list page, issue 9).
            if name not in keyed and is_given(value):
                queryset = self.filters[name].filter(queryset, value)
        return having_keys(queryset, any_of)

    def keys_only_filters(self):
        """[keys, …] as `keyed_filters` gives them when the keys answer every filter that
        selects something (and there is one), else None: the facets can then be counted from
        the keys table alone (facets.count_facets)."""
        active = {
            name for name, value in self.form.cleaned_data.items() if name != "ordering" and is_given(value)
        }
        names, any_of = self.keyed_filters(self.form.cleaned_data)
        return any_of if active and active <= names else None

    @staticmethod
    def keyed_filters(cleaned):
        """(names, [keys, …]): the filters of `cleaned` (name: cleaned value) that select
        something and that the facet keys (catalogue/facets.py) answer, and for each, the keys
        of which an initiative must hold one. Each is a facet's own keys, so it selects the
        initiatives its relation does (`?sector=a&sector=b`: either); a range of start years
        counts as one filter.

        Why: a filter on a related slug is a join of the relation (and, as Django writes it, of
        the initiatives again), and a start year is read from each matching row: at 100,000
        initiatives ~25 ms for one sector and 16,671 row lookups for its years, in each id set
        of a list page's facets. The keys' GIN index intersects them all in one search."""
        names, any_of = set(), []
        for name, value in cleaned.items():
            facet = FACETS.get(name)
            if facet is not None and facet.key_kind and selected_options(value):
                names.add(name)
                any_of.append(facet.keys_of(value))
        years = start_year_keys(cleaned.get("year_min"), cleaned.get("year_max"))
        if years:
            names |= {"year_min", "year_max"}
            any_of.append(years)
        return names, any_of


class OrganisationFilterSet(QueryStringFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=Organisation.Kind.choices, label=_("Kind"))
    country = django_filters.MultipleChoiceFilter(choices=countries, label=_("Country"))

    class Meta(QueryStringFilterSet.Meta):
        model = Organisation
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(name_zh_hans__icontains=value))


class PublicationFilterSet(QueryStringFilterSet):
    """/publications/ and /api/v1/publications/: reports and events, by kind."""

    kind = django_filters.MultipleChoiceFilter(choices=Publication.Kind.choices, label=_("Kind"))

    class Meta(QueryStringFilterSet.Meta):
        model = Publication
        fields = []


class RemovedInitiativeFilterSet(QueryStringFilterSet):
    """/api/v1/initiatives/removed/: `since` reads a date-time as `updated_since` does, so a
    syncing client passes both the same moment."""

    since = StorableDateTimeFilter(
        field_name="removed_at",
        lookup_expr="gte",
        label=_("Removed since"),
        help_text=_(
            "Only initiatives removed at or after this ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z."
        ),
    )

    class Meta(QueryStringFilterSet.Meta):
        model = RemovedInitiative
        fields = []
