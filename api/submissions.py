"""POST /api/v1/submissions/: partners submit initiatives with a token
(`Authorization: Token <key>`), with the same rules and statuses as the /submit/ form.

A partner lists and reads only their own (and confirmed colleagues') submissions, edits
(PUT) only drafts and submissions sent back for changes, and sends one for review with
POST /api/v1/submissions/<id>/submit/. An `Idempotency-Key` header makes a retried POST
return the first submission instead of creating a second.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.response import Response

from catalogue import validators, workflow
from catalogue.models import (
    BeneficiaryGroup,
    Initiative,
    KeyFigure,
    Organisation,
    ProposedOrganisation,
    Requirement,
    Sector,
    StatusChange,
    SubmittedSource,
    Technology,
)

from .schema import READ_RESPONSES, AutoSchema, ErrorSerializer


def slugs(queryset, **kwargs):
    return serializers.SlugRelatedField(slug_field="slug", queryset=queryset, many=True, **kwargs)


class KeyFigureInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyFigure
        fields = ["text", "text_zh"]


class RequirementAlignmentInputSerializer(serializers.Serializer):
    requirement = serializers.SlugRelatedField(
        slug_field="slug", queryset=Requirement.objects.all(), help_text="The requirement's slug."
    )
    rationale = serializers.CharField(max_length=300, help_text="One line: why the initiative addresses it.")


class SubmittedSourceSerializer(serializers.ModelSerializer):
    url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, validators=[validators.validate_web_url]
    )

    class Meta:
        model = SubmittedSource
        fields = ["title", "url", "reference"]

    def validate(self, attrs):
        validators.check_source_location(attrs.get("url"), attrs.get("reference"))
        return attrs


class ProposedOrganisationSerializer(serializers.ModelSerializer):
    country = CountryField(required=False, allow_blank=True)
    website = serializers.URLField(
        max_length=300, required=False, allow_blank=True, validators=[validators.validate_web_url]
    )

    class Meta:
        model = ProposedOrganisation
        fields = ["name", "kind", "country", "website"]


class StatusChangeSerializer(serializers.ModelSerializer):
    # Declared because DRF drops `allow_blank` from a read-only model field, and the schema
    # would then deny the blank of a submission's first change.
    from_status = serializers.ChoiceField(
        choices=Initiative.Status.choices,
        allow_blank=True,
        read_only=True,
        help_text="Blank for the first change, when the submission was created.",
    )

    class Meta:
        model = StatusChange
        fields = ["created_at", "from_status", "to_status", "note"]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer):
    lead_organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of an organisation in the catalogue; or give proposed_organisation.",
    )
    proposed_organisation = ProposedOrganisationSerializer(required=False, allow_null=True)
    partners = slugs(Organisation.objects.all(), required=False)
    sectors = slugs(Sector.objects.all(), allow_empty=False)
    technologies = slugs(Technology.objects.all(), required=False)
    beneficiary_groups = slugs(BeneficiaryGroup.objects.all(), required=False)
    countries = serializers.ListField(child=CountryField(), required=False, help_text="ISO 3166 codes.")
    summary = serializers.CharField(max_length=validators.SUMMARY_MAX_LENGTH)
    summary_zh = serializers.CharField(
        max_length=validators.SUMMARY_MAX_LENGTH, required=False, allow_blank=True
    )
    start_year = serializers.IntegerField(
        required=False, allow_null=True, validators=[validators.validate_start_year]
    )
    website = serializers.URLField(
        max_length=300, required=False, allow_blank=True, validators=[validators.validate_web_url]
    )
    key_figures = KeyFigureInputSerializer(many=True, required=False, max_length=validators.MAX_KEY_FIGURES)
    requirements = RequirementAlignmentInputSerializer(
        many=True, required=False, source="alignments", max_length=validators.MAX_REQUIREMENTS
    )
    sources = SubmittedSourceSerializer(
        many=True, required=False, source="submitted_sources", max_length=validators.MAX_SOURCES
    )
    history = StatusChangeSerializer(many=True, read_only=True, source="status_changes")

    class Meta:
        model = Initiative
        fields = [
            "id",
            "slug",
            "status",
            "title",
            "title_zh",
            "summary",
            "summary_zh",
            "lead_organisation",
            "proposed_organisation",
            "partners",
            "sectors",
            "technologies",
            "beneficiary_groups",
            "countries",
            "start_year",
            "website",
            "children_focus",
            "key_figures",
            "requirements",
            "sources",
            "history",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "slug", "status", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["countries"] = [country.code for country in instance.countries]
        proposed = getattr(instance, "proposed_organisation", None)
        data["proposed_organisation"] = ProposedOrganisationSerializer(proposed).data if proposed else None
        return data

    def validate(self, attrs):
        proposed = attrs.get("proposed_organisation")
        try:
            validators.check_lead_organisation(
                attrs.get("lead_organisation"), proposed and proposed.get("name")
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"lead_organisation": error.messages}) from error
        try:
            validators.check_distinct_requirements(
                [item["requirement"] for item in attrs.get("alignments", [])]
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"requirements": error.messages}) from error
        return attrs

    def content(self):
        """The validated data in the shape `workflow.save_content` takes."""
        data = self.validated_data
        proposed = data.get("proposed_organisation")
        return {
            "title": data["title"],
            "title_zh": data.get("title_zh", ""),
            "summary": data["summary"],
            "summary_zh": data.get("summary_zh", ""),
            "lead_organisation": data.get("lead_organisation"),
            "proposed_organisation": {"country": "", "website": "", **proposed} if proposed else None,
            "partners": data.get("partners", []),
            "sectors": data["sectors"],
            "technologies": data.get("technologies", []),
            "beneficiary_groups": data.get("beneficiary_groups", []),
            "countries": data.get("countries", []),
            "start_year": data.get("start_year"),
            "website": data.get("website", ""),
            "children_focus": data.get("children_focus", False),
            "key_figures": data.get("key_figures", []),
            "alignments": data.get("alignments", []),
            "sources": data.get("submitted_sources", []),
        }


class SubmissionSchema(AutoSchema):
    # No 304 (submissions carry no ETag) and no 429 on reading: the anonymous rate limit never
    # applies, as a request without a token is refused before it is counted.
    read_responses = {code: READ_RESPONSES[code] for code in ("400", "404", "406")}


INPUT_ERRORS = {
    "type": "object",
    "description": (
        "For each bad field, what is wrong with it; a nested object or list has the same shape "
        "inside. A body that is not JSON gets `detail` instead."
    ),
    "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array"}, {"type": "object"}]},
    "example": {
        "sectors": ["Object with slug=nowhere does not exist."],
        "summary": ["This field is required."],
    },
}

ERROR_RESPONSES = {
    400: OpenApiResponse(INPUT_ERRORS, description="Invalid submission."),
    401: OpenApiResponse(
        ErrorSerializer,
        description="No token, or an unknown or revoked one: send `Authorization: Token <key>`.",
    ),
    403: OpenApiResponse(
        ErrorSerializer,
        description="The submission is with the editors, published or rejected: it can no longer be changed.",
    ),
    404: OpenApiResponse(
        ErrorSerializer, description="None of your (or your colleagues') submissions has this id."
    ),
    415: OpenApiResponse(ErrorSerializer, description="The body is not `application/json`."),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Too many submissions started in the last hour (10 unless configured); try again later.",
    ),
}


def responses(ok, *codes):
    return {**ok, **{code: ERROR_RESPONSES[code] for code in codes}}


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "Any string you choose for this submission, e.g. a UUID. Retrying the POST with the same "
        "key returns the submission the first request created (200) instead of creating another."
    ),
)

SUBMISSION_EXAMPLE = OpenApiExample(
    "A draft with a proposed lead organisation",
    request_only=True,
    value={
        "title": "Reading Buddy for rural schools",
        "summary": "A speech-recognition tutor that listens to children read aloud.",
        "proposed_organisation": {"name": "Reading Buddy Ltd", "kind": "company", "country": "KE"},
        "sectors": ["education"],
        "technologies": ["speech-recognition"],
        "beneficiary_groups": ["children"],
        "countries": ["KE", "TZ"],
        "start_year": 2021,
        "children_focus": True,
        "requirements": [
            {"requirement": "data-and-privacy", "rationale": "Recordings never leave the school's tablet."}
        ],
        "sources": [{"title": "Annual report 2023", "url": "https://reading-buddy.example.org/report.pdf"}],
    },
)


class IsEditableByPartner(permissions.BasePermission):
    message = _("Only drafts and submissions sent back for changes can be edited.")

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.status in Initiative.PARTNER_EDITABLE


@extend_schema_view(
    list=extend_schema(
        summary="Your submissions, most recently changed first",
        responses=responses({200: SubmissionSerializer(many=True)}, 401),
    ),
    create=extend_schema(
        summary="Start a submission, saved as a draft",
        parameters=[IDEMPOTENCY_KEY],
        examples=[SUBMISSION_EXAMPLE],
        responses=responses(
            {
                201: OpenApiResponse(SubmissionSerializer, description="The new draft."),
                200: OpenApiResponse(
                    SubmissionSerializer,
                    description="The draft an earlier request with the same `Idempotency-Key` created.",
                ),
            },
            400,
            401,
            415,
            429,
        ),
    ),
    retrieve=extend_schema(
        summary="One of your submissions, with its history",
        responses=responses({200: SubmissionSerializer}, 401, 404),
    ),
    update=extend_schema(
        summary="Replace a draft, or a submission sent back for changes",
        examples=[SUBMISSION_EXAMPLE],
        responses=responses({200: SubmissionSerializer}, 400, 401, 403, 404, 415),
    ),
    submit=extend_schema(
        summary="Send a submission to the editors",
        operation_id="submissions_submit",
        request=None,
        responses=responses({200: SubmissionSerializer}, 401, 403, 404),
    ),
)
class SubmissionViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A partner's submissions. Another partner's submission is a 404."""

    serializer_class = SubmissionSerializer
    schema = SubmissionSchema()
    # Any path segment reaches the view, so that a malformed id is a JSON 404 too.
    lookup_value_regex = "[^/]+"
    authentication_classes = [TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated, IsEditableByPartner]
    # Full replacement only: a submission's content is saved as a whole (see workflow).
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return Initiative.objects.for_partner(self.request.user).for_submission().order_by("-updated_at")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key")
        try:
            initiative, created = workflow.create_submission(request.user, serializer.content(), key=key)
        except workflow.SubmissionRateExceeded as error:
            raise Throttled(detail=str(error)) from error
        return Response(
            self.get_serializer(self._fresh(initiative)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def update(self, request, *args, **kwargs):
        initiative = self.get_object()
        serializer = self.get_serializer(initiative, data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            workflow.update_submission(initiative, request.user, serializer.content())
        except workflow.TransitionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        return Response(self.get_serializer(self._fresh(initiative)).data)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the submission to the editors (from draft or changes requested)."""
        initiative = self.get_object()
        if initiative.status != Initiative.Status.SUBMITTED:
            try:
                workflow.submit(initiative, request.user)
            except workflow.TransitionNotAllowed as error:
                raise PermissionDenied(str(error)) from error
        return Response(self.get_serializer(self._fresh(initiative)).data)

    def _fresh(self, initiative):
        return self.get_queryset().get(pk=initiative.pk)
