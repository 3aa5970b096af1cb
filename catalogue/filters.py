"""The FilterSets behind both the browse pages and the API.

The query string is the public contract: `/initiatives/?sector=education&requirement=safety`
and `/api/v1/initiatives/?sector=education&requirement=safety` return the same records.
Related records are filtered by slug; repeating a parameter selects any of the values (OR),
different parameters must all match (AND).
"""

import django_filters
from django import forms
from django.core.validators import validate_slug
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters.fields import ModelMultipleChoiceField

from .models import (
    BeneficiaryGroup,
    Initiative,
    Organisation,
    Requirement,
    Sector,
    Source,
    Technology,
)


class QueryStringForm(forms.Form):
    """The FilterSets' form. A query string is untrusted input: a parameter that takes one
    value but arrives several times is an error, not silently read as its last value."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            repeatable = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
            if not repeatable and len(self.data.getlist(name)) > 1:
                self.add_error(name, _("Give this parameter once."))
        return cleaned


class SlugMultipleChoiceField(ModelMultipleChoiceField):
    """Checks that each value is a slug before looking it up, so text the database cannot
    compare (a NUL character, say) is a validation error rather than a database error."""

    def _check_values(self, value):
        for slug in value:
            try:
                validate_slug(slug)
            except forms.ValidationError:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": slug}
                ) from None
        return super()._check_values(value)


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Select related records by slug; an unknown slug is a validation error, not ignored."""

    field_class = SlugMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("distinct", True)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year: a whole number (2021, not 2021.5)."""

    field_class = forms.IntegerField


class InitiativeFilterSet(django_filters.FilterSet):
    ORDERINGS = {
        "relevance": None,  # search order when `q` is given, otherwise title
        "newest": [F("published_at").desc(nulls_last=True), F("start_year").desc(nulls_last=True), "title"],
        "title": ["title"],
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
    requirement = SlugMultipleChoiceFilter(
        field_name="requirements__slug", queryset=Requirement.objects.all(), label=_("UNICEF requirement")
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
    year_max = YearFilter(field_name="start_year", lookup_expr="lte", label=_("Started in or before"))
    children_focus = django_filters.BooleanFilter(label=_("Focused on children"))
    ordering = django_filters.ChoiceFilter(
        choices=[("relevance", _("Relevance")), ("newest", _("Newest")), ("title", _("Title"))],
        method="filter_ordering",
        label=_("Sort by"),
        empty_label=None,
    )

    class Meta:
        model = Initiative
        fields = []
        form = QueryStringForm

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_organisation(self, queryset, name, organisations):
        if not organisations:
            return queryset
        return queryset.filter(
            Q(lead_organisation__in=organisations) | Q(partners__in=organisations)
        ).distinct()

    def filter_country(self, queryset, name, codes):
        # django-countries stores several codes as "CN,US"; two-letter codes separated by
        # commas cannot match across a boundary, so a substring test is exact.
        if not codes:
            return queryset
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
        if order_by is None:
            return queryset if self.form.cleaned_data.get("q") else queryset.order_by("title")
        return queryset.order_by(*order_by)

    def filter_queryset_except(self, excluded, queryset=None):
        """The valid filters applied, all but `excluded`: what facet counts are taken over.

        Reuses the form's cleaned data, so facets do not validate the query string again.
        """
        queryset = self.queryset.all() if queryset is None else queryset
        for name, value in self.form.cleaned_data.items():
            if name != excluded:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=Organisation.Kind.choices, label=_("Kind"))
    country = django_filters.MultipleChoiceFilter(choices=countries, label=_("Country"))

    class Meta:
        model = Organisation
        fields = []
        form = QueryStringForm

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(name_zh__icontains=value))
