"""The catalogue's read-only endpoints: initiatives (JSON, CSV, facets), the initiatives
removed from publication, and the vocabularies."""

from dataclasses import asdict

from django.http import Http404, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import routers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from catalogue import bulk, dataset
from catalogue.caching import cached_response, store_when_rendered
from catalogue.downloads import stream_csv
from catalogue.facets import FACETS, facet_counts
from catalogue.filters import (
    InitiativeFilterSet,
    OrganisationFilterSet,
    PublicationFilterSet,
    RemovedInitiativeFilterSet,
)
from catalogue.models import (
    BeneficiaryGroup,
    Initiative,
    Organisation,
    Publication,
    RemovedInitiative,
    Requirement,
    Sector,
    Source,
    Task,
    Technology,
)
from catalogue.views.base import redirect_from_former_slug

from ..conditional import validators
from ..renderers import SEPARATOR, CSVRenderer
from ..schema import AutoSchema
from ..serializers import catalogue as serializers


class APIRootView(routers.APIRootView):
    """The API's endpoints, its OpenAPI schema and its documentation."""

    schema = AutoSchema()

    @extend_schema(
        summary="The endpoints of this API",
        description=(
            "Everything is open to anyone except `submissions`, which needs a partner's API token "
            "(`Authorization: Bearer <key>`, or `Token <key>`; a partner creates one at "
            "/accounts/api-token/)."
        ),
        responses=OpenApiResponse(
            {
                "type": "object",
                "properties": {
                    "dataset_version": {
                        "type": "string",
                        "description": "The dataset version (an editorial release) the API serves; "
                        "what each release changed is at `dataset_changelog`. The data revision, which "
                        "moves with every change between releases, is in each answer's ETag.",
                    },
                    "dataset_changelog": {"type": "string", "format": "uri"},
                    "licence": {
                        "type": "object",
                        "description": "The licence of the catalogue's own records (CC BY 4.0).",
                        "properties": {name: {"type": "string"} for name in bulk.LICENCE},
                    },
                    "quoted_text": {"type": "string", "description": "The terms of quoted source text."},
                },
                "additionalProperties": {"type": "string", "format": "uri"},
            },
            description="Endpoint name → address, and the dataset version and licence served.",
        ),
    )
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["schema"] = request.build_absolute_uri(reverse("api:schema"))
        response.data["docs"] = request.build_absolute_uri(reverse("api:docs"))
        response.data["dataset_version"] = dataset.current_version()
        response.data["dataset_changelog"] = request.build_absolute_uri(reverse("catalogue:dataset"))
        response.data["licence"] = bulk.LICENCE
        response.data["quoted_text"] = dataset.QUOTED_TEXT_TERMS
        return response


class AnsweredEarly(Exception):
    """An answer found before any work: a 304, or the stored answer to the same request."""

    def __init__(self, response):
        self.response = response


class CatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint whose responses carry ETag and Last-Modified, answering 304 to a
    conditional request, or the stored answer to an anonymous one (catalogue/caching.py),
    before doing any work, and whose errors are always JSON."""

    lookup_field = "slug"
    # Any path segment reaches the view, so that every unknown record is a JSON 404 (DRF's
    # default pattern leaves a slug with a dot to Django's HTML 404).
    lookup_value_regex = "[^/]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # content negotiation, throttling
        # The stored answer first: the data version the validators need comes with it (one
        # round trip to Redis). A stored answer answers a conditional request itself.
        response = cached_response(request._request, variant=[request.accepted_media_type])
        self.etag, self.last_modified = validators(request, request.accepted_media_type)
        if response is None:
            response = get_conditional_response(
                request._request, etag=self.etag, last_modified=self.last_modified
            )
            if not isinstance(response, HttpResponseNotModified):
                return
        raise AnsweredEarly(response)

    def handle_exception(self, exc):
        if isinstance(exc, AnsweredEarly):
            return self.with_validators(exc.response)
        # An error is JSON, even for ?format=csv, so the client can read what went wrong.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])  # JSON or CSV
        if response.status_code != 200:
            return response
        return store_when_rendered(request._request, self.with_validators(response))

    def with_validators(self, response):
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        return response


FACETS_PARAMETER = OpenApiParameter(
    "facets",
    OpenApiTypes.STR,
    many=True,
    enum=list(FACETS),
    style="form",
    explode=False,
    description=(
        "Comma-separated filter names to count, e.g. `sector,requirement,country`: the response "
        "gains `facets`, the counts the /initiatives/ page shows. Not applied to CSV."
    ),
)


def requested_facets(request):
    """The facet names `?facets=` asks for, in order; an unknown one is a 400."""
    names = [
        name.strip()
        for value in request.query_params.getlist("facets")
        for name in value.split(",")
        if name.strip()
    ]
    unknown = [name for name in names if name not in FACETS]
    if unknown:
        raise ValidationError(
            {
                "facets": [
                    _("Unknown facet %(name)s; choose from %(choices)s.")
                    % {"name": repr(name), "choices": ", ".join(FACETS)}
                    for name in unknown
                ]
            }
        )
    return list(dict.fromkeys(names))


@extend_schema_view(
    list=extend_schema(
        summary="Published initiatives",
        description=(
            "Filtered as the /initiatives/ page is, with the same query string; an empty value "
            "means the parameter was not given, and an unknown parameter is a 400 naming it. "
            "`?format=csv` streams every matching initiative (not one page) as UTF-8 CSV, one column "
            "per field, several values in a cell joined by `; `."
        ),
        parameters=[FACETS_PARAMETER],
        responses={
            (200, "application/json"): serializers.InitiativePageSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="Every matching initiative."),
        },
    ),
    retrieve=extend_schema(
        summary="One published initiative, with everything its page shows",
        description=(
            "An address the initiative had before its slug changed answers with a 301 to its "
            "current one, so stored links keep working."
        ),
    ),
    removed=extend_schema(
        summary="Initiatives no longer published",
        description=(
            "Tombstones for a client that keeps a copy: the slugs of initiatives unpublished, "
            "deleted or renamed (the old slug) since `since`, oldest first. To sync, fetch "
            "`/initiatives/?updated_since=T` and `/initiatives/removed/?since=T` with the `T` of your "
            "last sync. An initiative published again leaves this list and comes back through "
            "`updated_since`."
        ),
        responses=serializers.RemovedInitiativeSerializer(many=True),
    ),
    similar=extend_schema(
        summary="Published initiatives with a title like this one",
        description=(
            "For a form warning of a duplicate while its title is typed: at most 5 published "
            "initiatives whose titles look like `title` (trigram similarity on PostgreSQL), most "
            "alike first; those of the lead organisation named in `organisation` rank higher. A "
            "missing or shorter title is a 400 naming `title`."
        ),
        parameters=[serializers.SimilarQuerySerializer],
        responses=serializers.SimilarInitiativeSerializer(many=True),
    ),
)
class InitiativeViewSet(CatalogueViewSet):
    queryset = Initiative.objects.for_listing()
    serializer_class = serializers.InitiativeSerializer
    filterset_class = InitiativeFilterSet
    query_parameters = ["facets"]  # read by list(), besides the filters and the pagination

    def get_queryset(self):
        return Initiative.objects.for_detail() if self.action == "retrieve" else super().get_queryset()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.InitiativeDetailSerializer
        return super().get_serializer_class()

    def get_renderers(self):
        renderers = [renderer() for renderer in api_settings.DEFAULT_RENDERER_CLASSES]
        return [*renderers, CSVRenderer()] if self.action == "list" else renderers

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            # An address the initiative had before its slug changed: 301 to the current one.
            redirect = redirect_from_former_slug(request, kwargs[self.lookup_field])
            if redirect is None:
                raise
            return redirect

    @action(
        detail=False,
        queryset=RemovedInitiative.objects.all(),
        serializer_class=serializers.RemovedInitiativeSerializer,
        filterset_class=RemovedInitiativeFilterSet,
    )
    def removed(self, request):
        return super().list(request)

    @action(
        detail=False,
        filterset_class=None,
        pagination_class=None,
        serializer_class=serializers.SimilarInitiativeSerializer,
    )
    def similar(self, request):
        query = serializers.SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        initiatives = Initiative.objects.similar_to(
            query.validated_data["title"].strip(), organisation=query.validated_data["organisation"]
        )
        return Response(self.get_serializer(initiatives, many=True).data)

    def list(self, request, *args, **kwargs):
        self.facets = requested_facets(request)
        if request.accepted_renderer.format == CSVRenderer.format:
            # Not for_listing(): the CSV reads its columns in for_csv()'s single query.
            return self.csv(self.filter_queryset(Initiative.objects.published()))
        response = super().list(request, *args, **kwargs)
        if self.facets:
            counted = self.counted_facets
            response.data["facets"] = {
                name: [asdict(option) for option in options] for name, options in counted.items()
            }
            # A long facet (organisations, countries) lists only its best options and the selected ones.
            response.data["facets_truncated"] = [
                name for name, options in counted.items() if options.truncated
            ]
        return response

    def paginate_queryset(self, queryset):
        # Facets asked for are counted before the page: their query counts the filtered list
        # too, and the page's `count` reuses that instead of counting again.
        if getattr(self, "facets", None):
            self.counted_facets = facet_counts(self.filterset, self.facets)
            queryset = queryset.with_count(self.counted_facets.matching)
        return super().paginate_queryset(queryset)

    def csv(self, initiatives):
        rows = serializers.InitiativeCSVRows(self.request, SEPARATOR)
        # One query, read in chunks (a server-side cursor on PostgreSQL), so memory stays flat
        # however many rows match.
        values = initiatives.for_csv().iterator(chunk_size=2000)
        return stream_csv(rows.columns, rows(values), filename="casebook-initiatives.csv")


@extend_schema_view(
    list=extend_schema(
        description=(
            "The organisations leading or partnering in published initiatives, filtered as the "
            "/organisations/ page is, with the same query string."
        )
    ),
    near=extend_schema(
        summary="Organisations with a name like this one",
        description=(
            "For a form suggesting catalogue names while an organisation's name is typed: at most "
            "8 organisations (any, not only those in use) whose names look like `name` (trigram "
            "word similarity on PostgreSQL, so `UNICEF` finds `UNICEF China`; a Chinese name by "
            "substring), most alike first. A missing or shorter name is a 400 naming `name`."
        ),
        parameters=[serializers.NearNameQuerySerializer],
        responses=serializers.NearOrganisationSerializer(many=True),
    ),
)
class OrganisationViewSet(CatalogueViewSet):
    queryset = Organisation.objects.with_initiative_counts()
    serializer_class = serializers.OrganisationSerializer
    filterset_class = OrganisationFilterSet

    def get_queryset(self):
        # The list is the /organisations/ page's: organisations in use. Any organisation's
        # record can still be read by its slug, as its page can.
        return Organisation.objects.in_use() if self.action == "list" else super().get_queryset()

    @action(
        detail=False,
        filterset_class=None,
        pagination_class=None,
        serializer_class=serializers.NearOrganisationSerializer,
    )
    def near(self, request):
        query = serializers.NearNameQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        near = Organisation.objects.near(query.validated_data["name"].strip(), limit=8)
        return Response(self.get_serializer(near, many=True).data)


class SectorViewSet(CatalogueViewSet):
    queryset = Sector.objects.with_initiative_counts()
    serializer_class = serializers.SectorSerializer


class TechnologyViewSet(CatalogueViewSet):
    queryset = Technology.objects.with_initiative_counts()
    serializer_class = serializers.TechnologySerializer


class TaskViewSet(CatalogueViewSet):
    """What tools help practitioners do (a tool profile's tasks), each with its count of
    published initiatives."""

    queryset = Task.objects.with_initiative_counts()
    serializer_class = serializers.TaskSerializer


class BeneficiaryGroupViewSet(CatalogueViewSet):
    queryset = BeneficiaryGroup.objects.with_initiative_counts()
    serializer_class = serializers.BeneficiaryGroupSerializer


class RequirementViewSet(CatalogueViewSet):
    queryset = Requirement.objects.with_initiative_counts()
    serializer_class = serializers.RequirementSerializer
    lookup_field = "number"


class SourceViewSet(CatalogueViewSet):
    queryset = Source.objects.with_initiative_counts()
    serializer_class = serializers.SourceSerializer


class PublicationViewSet(CatalogueViewSet):
    """Reports, action plans and events the catalogue's sources describe: their findings and
    recommendations (quoted, with locators), organisations by role, and featured cases."""

    queryset = Publication.objects.for_listing()
    serializer_class = serializers.PublicationSerializer
    filterset_class = PublicationFilterSet

    def get_queryset(self):
        if self.action == "retrieve":
            return Publication.objects.for_detail().with_featured_cases()
        return super().get_queryset()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.PublicationDetailSerializer
        return super().get_serializer_class()
