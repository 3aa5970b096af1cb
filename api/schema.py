"""drf-spectacular's AutoSchema, completed with what every read endpoint can also answer, so
the OpenAPI document describes each response the API really sends."""

from django_filters import filters
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension
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


# A character that Python's str.strip() keeps (its whitespace, spelled out: JavaScript's \s
# differs, e.g. on U+001C-U+001F and U+FEFF).
NOT_ONLY_SPACE = (
    "[^\\t\\n\\u000b\\u000c\\r\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000]"
)


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

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and field.trim_whitespace
            and not field.allow_blank
            and schema
            and "pattern" not in schema
        ):
            # DRF strips a string before checking it is not blank, so "  " is refused although
            # it is one character or more: say that one character must be other than space.
            schema["pattern"] = NOT_ONLY_SPACE
        if direction == "request" and schema and schema.get("type") == "array":
            # DRF checks a list's length itself (ListSerializer's `max_length`, a related
            # field's `allow_empty`) rather than with validators, which is all drf-spectacular
            # reads: state the limits, so a client knows them before a 400 tells it.
            if getattr(field, "allow_empty", True) is False:
                schema["minItems"] = max(schema.get("minItems", 0), 1)
            if getattr(field, "min_length", None) is not None:
                schema["minItems"] = max(schema.get("minItems", 0), field.min_length)
            if getattr(field, "max_length", None) is not None:
                schema["maxItems"] = min(schema.get("maxItems", field.max_length), field.max_length)
        return schema

    def get_auth(self):
        # drf-spectacular lists the schemes an operation accepts, and `{}` when it also accepts
        # anonymous requests. Reading the catalogue needs nothing: describe no security there,
        # so that documentation tools (Swagger UI's lock) and generated clients mark only the
        # operations that need a token.
        auths = super().get_auth()
        return [] if {} in auths else auths

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
            if parameter["in"] == OpenApiParameter.QUERY and not parameter.get("required"):
                # As in a submitted HTML form, `?sector=&page_size=` means "not given" (which a
                # required parameter may not be).
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


class TokenScheme(OpenApiAuthenticationExtension):
    """The partner token as an `http bearer` scheme: the one scheme client generators turn
    into the header the API reads (drf-spectacular's `apiKey` description leaves the
    `Token ` prefix to prose, so generated clients sent the bare key, or `Bearer`)."""

    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A partner's API token (created at /accounts/api-token/): `Authorization: Bearer <key>`; "
                "`Authorization: Token <key>` is accepted too."
            ),
        }
