"""drf-spectacular's AutoSchema, completed with what every read endpoint can also answer, so
the OpenAPI document describes each response the API really sends."""

from django_filters import filters
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.settings import api_settings

from catalogue.filters import RequirementMultipleChoiceFilter


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")


FIELD_ERRORS = {
    "type": "object",
    "description": "For each bad parameter, what is wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"sector": ["Select a valid choice. nowhere is not one of the available choices."]},
}

READ_RESPONSES = {
    "400": OpenApiResponse(FIELD_ERRORS, description="A bad parameter."),
    "304": OpenApiResponse(description="Not modified since the `ETag` or `Last-Modified` the client sent."),
    "404": OpenApiResponse(ErrorSerializer, description="No such record, page or format."),
    "406": OpenApiResponse(ErrorSerializer, description="No representation matches the Accept header."),
    "429": OpenApiResponse(
        ErrorSerializer, description="Too many requests; retry after `Retry-After` seconds."
    ),
}


class FilterExtension(DjangoFilterExtension):
    """Describes the shared FilterSets' parameters as the API accepts them: the slug filters
    (whose model field drf-spectacular cannot follow) as repeatable strings, and choices held
    in an iterable, such as the ISO country codes, as an enum."""

    target_class = "api.backends.FilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, RequirementMultipleChoiceFilter):
            # What the lists return (a number) or the slug: a generated client takes either.
            schema, description = (
                {
                    "anyOf": [
                        {"type": "integer", "minimum": 1, "maximum": 9},
                        build_basic_type(OpenApiTypes.STR),
                    ]
                },
                "number or slug; repeat the parameter for any of several",
            )
        elif isinstance(filter_field, filters.ModelMultipleChoiceFilter):
            schema, description = (
                build_basic_type(OpenApiTypes.STR),
                "slug; repeat the parameter for any of several",
            )
        elif isinstance(filter_field, filters.MultipleChoiceFilter) and callable(
            filter_field.extra["choices"]
        ):
            enum = [code for code, _ in filter_field.extra["choices"]]
            schema, description = {"type": "string", "enum": enum}, "repeat the parameter for any of several"
        else:
            return super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        label = str(filter_field.extra.get("help_text") or filter_field.label).rstrip(".")
        return [
            build_parameter_type(
                name=field_name,
                location=OpenApiParameter.QUERY,
                schema=build_array_type(schema),
                description=f"{label} ({description}).",
                explode=True,
                style="form",
            )
        ]


class AutoSchema(openapi.AutoSchema):
    # What a GET may answer besides what the view declares.
    read_responses = READ_RESPONSES

    def _get_format_parameters(self):
        # drf-spectacular documents `format` only when there is a choice; the API accepts
        # `?format=json` everywhere, so describe it everywhere.
        formats = self.map_renderers("format")
        if not api_settings.URL_FORMAT_OVERRIDE or self.method != "GET":
            return []
        return [
            openapi.build_parameter_type(
                name=api_settings.URL_FORMAT_OVERRIDE,
                schema=openapi.build_basic_type(OpenApiTypes.STR),
                location=OpenApiParameter.QUERY,
                enum=formats,
                description="Response format; the same as the Accept header.",
            )
        ]

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == OpenApiParameter.QUERY:
                # As in a submitted HTML form, `?sector=&page_size=` means "not given".
                parameter["allowEmptyValue"] = True
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        for code, response in self.read_responses.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, ["application/json"], direction)
        return responses
