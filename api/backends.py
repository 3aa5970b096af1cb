"""The API's filter backend: the shared FilterSets of catalogue/filters.py, bound to the
whole query string as the pages bind them."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from catalogue.filters import PageNumberField


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend (400 with field messages on bad input) that keeps the bound
    FilterSet on the view, so that facet counts reuse its validated values, and that tells the
    FilterSet which parameters the API reads itself, so that any other is a 400 naming it."""

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

    def get_filterset_kwargs(self, request, queryset, view):
        return {
            **super().get_filterset_kwargs(request, queryset, view),
            "door_parameters": door_parameters(view),
        }


def door_parameters(view):
    """{name: field or None} for the parameters the API reads besides the filters: the page
    (checked by the same field as on the pages), the page size (checked by the paginator), the
    format, and the view's own (`query_parameters`, e.g. `facets`)."""
    parameters = {api_settings.URL_FORMAT_OVERRIDE: None}
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        parameters[paginator.page_query_param] = PageNumberField()
        if paginator.page_size_query_param:
            parameters[paginator.page_size_query_param] = None
    return {**parameters, **dict.fromkeys(getattr(view, "query_parameters", ()))}
