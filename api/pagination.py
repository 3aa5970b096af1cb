import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from catalogue.filters import PageNumberField
from catalogue.pagination import IdsFirstPaginator

WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`, where M is at most API_MAX_PAGE_SIZE.

    DRF silently clamps a page size over the maximum, or ignores one it cannot read; a client
    would then get fewer rows than it asked for without knowing. Here both are a 400, and so is
    a page that is not a whole number (DRF answers 404, as if the page were merely missing);
    a page past the last is still a 404. The /initiatives/ page reads `page` with the same field.
    """

    page_size_query_param = "page_size"
    django_paginator_class = IdsFirstPaginator
    # DRF also takes `?page=last`; the schema says a page is an integer, and the pages do not.
    last_page_strings = ()

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "")
        if value == "":
            return self.page_size
        if WHOLE_NUMBER.fullmatch(value) and 1 <= int(value) <= self.max_page_size:
            return int(value)
        message = _("Enter a whole number from 1 to %(maximum)d.") % {"maximum": self.max_page_size}
        raise ValidationError({self.page_size_query_param: [message]})

    def get_page_number(self, request, paginator):
        try:
            number = PageNumberField().clean(request.query_params.get(self.page_query_param))
        except forms.ValidationError as error:
            raise ValidationError({self.page_query_param: error.messages}) from None
        return 1 if number is None else number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
                parameter["description"] = str(parameter["description"]) + _(
                    " At most %(maximum)d; more is an error, not silently reduced."
                ) % {"maximum": self.max_page_size}
        return parameters
