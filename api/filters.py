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


class InitiativeFilterSet(filters.InitiativeFilterSet):
    """The /initiatives/ page's filters, plus `updated_since` for tools that sync."""

    updated_since = StorableDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=gettext_lazy("Updated since"),
        help_text=gettext_lazy(
            "Only initiatives changed at or after this ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z."
        ),
    )
