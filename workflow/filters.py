"""The review queue's filters."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy

from catalogue.forms import label_in_current_language
from catalogue.models import Initiative, Sector


class ReviewQueueFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=gettext_lazy("Search"))
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        label=gettext_lazy("Sector"),
    )
    partner = django_filters.CharFilter(
        field_name="submitted_by__email", lookup_expr="icontains", label=gettext_lazy("Partner's email")
    )
    proposes_organisation = django_filters.BooleanFilter(
        field_name="proposed_organisation",
        lookup_expr="isnull",
        exclude=True,
        label=gettext_lazy("Proposes a new organisation"),
    )

    class Meta:
        model = Initiative
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["sector"].field.label_from_instance = label_in_current_language

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))
