"""POST /api/v1/submissions/: partners submit initiatives with a token
(`Authorization: Bearer <key>` or `Token <key>`), with the same rules and statuses as the /submit/ form.

A partner lists and reads only their own (and confirmed colleagues') submissions, edits
(PUT) only drafts and submissions sent back for changes, and sends one for review with
POST /api/v1/submissions/<id>/submit/. An `Idempotency-Key` header makes a retried POST
return the first submission instead of creating a second.
"""

import hashlib
import json

from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied, Throttled
from rest_framework.response import Response

from accounts.authentication import TokenAuthentication
from catalogue.models import Initiative
from workflow import transitions

from ..schema import READ_RESPONSES, AutoSchema, ErrorSerializer
from ..serializers.submissions import SubmissionCommentSerializer, SubmissionSerializer


class SubmissionSchema(AutoSchema):
    # No 304 (submissions carry no ETag) and no 429 on reading: the anonymous rate limit never
    # applies, as a request without a token is refused before it is counted.
    read_responses = {code: READ_RESPONSES[code] for code in ("400", "404", "406")}


# Every part typed (no bare `{"type": "array"}`), so that client generators build a model for
# it rather than drop the error (openapi-python-client returned `parsed=None`).
NESTED_ERRORS = {
    "type": "object",
    "description": "A nested object's errors, field by field, in this same shape.",
    "additionalProperties": True,
}
INPUT_ERRORS = {
    "type": "object",
    "description": (
        "For each bad field, a list of messages; for a nested object, its errors in this same "
        'shape; for a list of objects, the bad items\' errors by position (`{"0": {…}}`). '
        "`non_field_errors` holds what concerns no single field, and a body that is not JSON "
        "gets `detail`, one message."
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, NESTED_ERRORS]}},
            NESTED_ERRORS,
            {"type": "string"},
        ]
    },
    "example": {
        "sectors": ["Object with slug=nowhere does not exist."],
        "summary": ["This field is required."],
    },
}

ERROR_RESPONSES = {
    400: OpenApiResponse(INPUT_ERRORS, description="Invalid submission."),
    401: OpenApiResponse(
        ErrorSerializer,
        description="No token, or an unknown or revoked one: send `Authorization: Bearer <key>`.",
    ),
    403: OpenApiResponse(
        ErrorSerializer,
        description="The submission is with the editors, published or rejected: it can no longer be changed.",
    ),
    404: OpenApiResponse(
        ErrorSerializer, description="None of your (or your colleagues') submissions has this id."
    ),
    409: OpenApiResponse(
        ErrorSerializer,
        description=(
            "The `Idempotency-Key` was first sent with a different body; nothing was saved. Use a new "
            "key for a new submission, or PUT the change to the submission the first request created."
        ),
    ),
    415: OpenApiResponse(ErrorSerializer, description="The body is not `application/json`."),
    429: OpenApiResponse(
        ErrorSerializer,
        description=(
            "Too many drafts submitted to the editors in the last hour (10 unless configured; "
            "drafts saved are not counted); `Retry-After` says in how many seconds the next "
            "submission is accepted."
        ),
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
        "key and the same body returns the submission the first request created (200) instead of "
        "creating another; the same key with a different body is a 409."
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


class IdempotencyConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_reused"


def body_fingerprint(data):
    """A hash of the request's JSON that ignores key order and spacing, which a client
    retrying the same request may well change."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


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
            409,
            415,
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
    comments=extend_schema(
        summary="Add to the conversation with the editors",
        description=(
            "A comment on one of your (or your colleagues') submissions, in any status but deleted; "
            "it does not change the submission. The editor who has it (or every editor) is told."
        ),
        request=SubmissionCommentSerializer,
        responses=responses(
            {
                201: OpenApiResponse(SubmissionCommentSerializer, description="The comment."),
                403: OpenApiResponse(
                    ErrorSerializer, description="The draft was deleted: it takes no comments."
                ),
            },
            400,
            401,
            404,
            415,
        ),
    ),
    submit=extend_schema(
        summary="Send a submission to the editors",
        operation_id="submissions_submit",
        request=None,
        responses=responses({200: SubmissionSerializer}, 401, 403, 404, 429),
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
        try:
            initiative, created = transitions.create_submission(
                request.user,
                serializer.content(),
                key=request.headers.get("Idempotency-Key"),
                fingerprint=body_fingerprint(request.data),
            )
        except transitions.IdempotencyKeyReused as error:
            raise IdempotencyConflict(str(error)) from error
        return Response(
            self.get_serializer(self._fresh(initiative)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def update(self, request, *args, **kwargs):
        initiative = self.get_object()
        serializer = self.get_serializer(initiative, data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            transitions.update_submission(initiative, request.user, serializer.content())
        except transitions.TransitionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        return Response(self.get_serializer(self._fresh(initiative)).data)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the submission to the editors (from draft or changes requested)."""
        initiative = self.get_object()
        try:
            transitions.submit(initiative, request.user)  # already submitted: nothing to do
        except transitions.TransitionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except transitions.SubmissionRateExceeded as error:
            raise Throttled(wait=error.retry_after, detail=str(error)) from error
        return Response(self.get_serializer(self._fresh(initiative)).data)

    # Any partner who may see the submission may answer, whatever its status: not only the
    # editable ones IsEditableByPartner allows.
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def comments(self, request, pk=None):
        """Add a comment to the submission's conversation (plain text)."""
        initiative = self.get_object()
        serializer = SubmissionCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            comment = transitions.add_comment(
                initiative, request.user, data["body"], field=data.get("field", "")
            )
        except transitions.TransitionNotAllowed as error:
            raise PermissionDenied(str(error)) from error
        return Response(SubmissionCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A partner's submissions, whatever the request and answer (a 401 included): no cache
        # may keep them (see api/middleware.py for the public reads).
        patch_cache_control(response, private=True, no_store=True)
        return response

    def _fresh(self, initiative):
        return self.get_queryset().get(pk=initiative.pk)
