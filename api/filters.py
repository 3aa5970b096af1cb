"""The API's door onto the shared FilterSets in catalogue/filters.py."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from catalogue import filters


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend (400 with field messages on bad input) that keeps the bound
    FilterSet on the view, so that facet counts reuse its validated values."""

    def filter_queryset(self, request, queryset, view):
        # PostgreSQL cannot take a NUL character in a query parameter; without this check a
        # slug or search text containing one is a 500.
        for name, values in request.query_params.lists():
            if any("\x00" in value for value in values):
                raise ValidationError({name: [_("Null characters are not allowed.")]})
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class StorableDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time the database can compare with: one that is still a valid
    date-time once converted to UTC (9999-12-31T23:00-05:00 is not)."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None:
            try:
                value.astimezone(datetime.UTC)
            except OverflowError:
                raise forms.ValidationError(
                    _("Enter a date-time between the years 1 and 9999 in UTC.")
                ) from None
        return value


class StorableDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = StorableDateTimeField


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is an error, where the page's select widget would
    quietly read it as "either"."""

    widget = forms.TextInput
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if str(value).lower() not in self.VALUES:
            raise forms.ValidationError(_("Enter true or false."), code="invalid")
        return self.VALUES[str(value).lower()]

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class InitiativeFilterSet(filters.InitiativeFilterSet):
    """The /initiatives/ page's filters, plus `updated_since` for tools that sync, and a
    stricter `children_focus` (same results for true and false, a 400 for anything else)."""

    children_focus = StrictBooleanFilter(
        label=filters.InitiativeFilterSet.base_filters["children_focus"].label
    )

    updated_since = StorableDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=gettext_lazy("Updated since"),
        help_text=gettext_lazy(
            "Only initiatives changed at or after this ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z."
        ),
    )
