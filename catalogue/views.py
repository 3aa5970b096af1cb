"""The browse pages: thin views over InitiativeQuerySet, the FilterSets and facet counts."""

import math

from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict, StreamingHttpResponse
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin
from django_countries import countries
from django_filters.views import FilterView

from .downloads import stream_csv
from .facets import FacetOption, facet_counts
from .filters import InitiativeFilterSet, OrganisationFilterSet, PageNumberField, without_empty_values
from .models import (
    BeneficiaryGroup,
    Initiative,
    Organisation,
    Requirement,
    RequirementAlignment,
    Sector,
    Source,
    Technology,
)
from .references import (
    FORMATS,
    SCHEMA_ORG,
    Reference,
    ReferenceLookup,
    case_json_ld,
    organisation_json_ld,
    source_json_ld,
)

# Facets in the order the sidebar shows them.
SIDEBAR_FACETS = [
    "sector",
    "requirement",
    "technology",
    "beneficiary",
    "organisation",
    "organisation_kind",
    "source",
    "country",
    "children_focus",
]
# Filters without facet options that still show as removable chips when set.
PLAIN_FILTERS = ["q", "year_min", "year_max", "updated_since"]


class ForgivingPaginationMixin:
    """A page number out of range shows the nearest page, and says so, instead of a 404.
    (One that is not a whole number is refused by the FilterSet, as the API refuses it.)"""

    paginate_by = 20

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, orphans=self.get_paginate_orphans())
        requested = self.request.GET.get(self.page_kwarg, "1")
        page = paginator.get_page(requested)
        self.requested_page_missing = requested if requested != str(page.number) else None
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requested_page_missing"] = getattr(self, "requested_page_missing", None)
        return context


class BrowseFilterView(ForgivingPaginationMixin, FilterView):
    """A FilterView whose FilterSet is always bound (no parameters is a valid, empty filter)
    and that answers invalid parameters with a 400 page showing the form's errors.

    The sidebar is a plain GET form, so it sends its empty fields (`?q=&year_min=`); they are
    redirected away, so that permalinks, pagination and sort links never carry them.
    """

    def get(self, request, *args, **kwargs):
        if any("" in values for _, values in request.GET.lists()):
            query = without_empty_values(request.GET)
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        return super().get(request, *args, **kwargs)

    def get_filterset_kwargs(self, filterset_class):
        return {
            **super().get_filterset_kwargs(filterset_class),
            "data": self.request.GET,
            "door_parameters": {self.page_kwarg: PageNumberField()},
        }

    def render_to_response(self, context, **response_kwargs):
        if not self.filterset.is_valid():
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs):
        sectors = with_shares(Sector.objects.with_initiative_counts())
        requirements = list(Requirement.objects.with_initiative_counts())
        return super().get_context_data(
            initiative_count=Initiative.objects.published().count(),
            organisation_count=Organisation.objects.in_use().count(),
            country_count=len(Initiative.objects.countries_covered()),
            sources=with_shares(Source.objects.in_use()),
            sectors=sectors,
            technologies=with_shares(Technology.objects.in_use().order_by("-initiative_count", "name")),
            requirements=requirements,
            matrix=coverage_matrix(sectors, requirements),
            **kwargs,
        )


class InitiativeListView(BrowseFilterView):
    queryset = Initiative.objects.for_listing()
    filterset_class = InitiativeFilterSet
    template_name = "catalogue/initiative_list.html"

    def get_context_data(self, *, object_list, **kwargs):
        valid = self.filterset.is_valid()
        search = self.filterset.form.cleaned_data.get("q", "") if valid else ""
        facets = facet_groups(self.filterset) if valid else submitted_facets(self.filterset)
        return super().get_context_data(
            object_list=object_list.with_search_headline(search),
            search=search,
            facets=facets,
            chips=active_filter_chips(self.filterset, facets),
            downloads=list_downloads(self.request.GET) if valid else None,
            **kwargs,
        )


class InitiativeDetailView(DetailView):
    queryset = Initiative.objects.for_detail()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            related=Initiative.objects.related(self.object)[:6],
            reference=Reference.of(self.object, self.request),
            json_ld=case_json_ld(self.object, self.request),
            **kwargs,
        )


class InitiativeReferenceView(DetailView):
    """A case's reference as a file for a reference manager: BibTeX, RIS or CSL-JSON
    (`catalogue/references.py`)."""

    queryset = Initiative.objects.for_detail()

    def get(self, request, *args, **kwargs):
        if kwargs["format"] not in FORMATS:
            raise Http404
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        method, media_type, extension = FORMATS[self.kwargs["format"]]
        reference = Reference.of(self.object, self.request)
        response = HttpResponse(getattr(reference, method)(), content_type=f"{media_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{reference.key}.{extension}"'
        return response


class EvidenceMatrixView(BrowseFilterView):
    """The evidence matrix: the cases of any /initiatives/ filter (rows) against the nine
    UNICEF requirements (columns); each cell gives the alignment's strength and basis and
    opens its rationale and evidence."""

    queryset = Initiative.objects.for_matrix()
    filterset_class = InitiativeFilterSet
    template_name = "catalogue/matrix.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requirements = list(Requirement.objects.all())
        rows = []
        for initiative in context["object_list"] if self.filterset.is_valid() else []:
            by_requirement = {
                alignment.requirement_id: alignment for alignment in initiative.alignments.all()
            }
            rows.append((initiative, [by_requirement.get(requirement.pk) for requirement in requirements]))
        query = without_empty_values(self.request.GET)
        query.pop("page", None)
        return {
            **context,
            "requirements": requirements,
            "rows": rows,
            "list_query": query.urlencode(),
            "csv_url": reverse("catalogue:matrix-csv") + (f"?{query.urlencode()}" if query else ""),
        }


class EvidenceMatrixCSVView(BrowseFilterView):
    """The evidence matrix of a filter as CSV: every matching case (not one page), a strength
    and a basis column per requirement, streamed."""

    queryset = Initiative.objects.published()
    filterset_class = InitiativeFilterSet

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "door_parameters": {}}

    def paginate_queryset(self, queryset, page_size):
        return None, None, queryset, False  # every record, streamed

    def get_paginate_by(self, queryset):
        return None

    def render_to_response(self, context, **response_kwargs):
        if not self.filterset.is_valid():
            return parameter_errors_as_text(self.filterset)
        requirements = list(Requirement.objects.values_list("pk", "number"))
        columns = ["slug", "title", "url"]
        for _, number in requirements:
            columns += [f"r{number}_strength", f"r{number}_basis"]
        url_of = ReferenceLookup.url_template_for(self.request)

        def rows():
            initiatives = self.filterset.qs.for_matrix_csv().iterator(chunk_size=2000)
            for slug, title, cells in initiatives:
                by_requirement = dict(cell.split(":", 1) for cell in cells.split(",")) if cells else {}
                row = [slug, title, url_of.format(slug)]
                for pk, _ in requirements:
                    strength, _, basis = by_requirement.get(str(pk), "").partition(":")
                    row += [strength, basis]
                yield row

        return stream_csv(columns, rows(), filename="casebook-evidence-matrix.csv")


class InitiativeListExportView(BrowseFilterView):
    """Every initiative of a list (the /initiatives/ filters), not one page, as one BibTeX or
    RIS file for a reference manager, streamed a chunk of records at a time."""

    queryset = Initiative.objects.published()
    filterset_class = InitiativeFilterSet
    FORMATS = {"bibtex": FORMATS["bibtex"], "ris": FORMATS["ris"]}
    CHUNK = 2000

    def get(self, request, *args, **kwargs):
        if kwargs["format"] not in self.FORMATS:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "door_parameters": {}}

    def render_to_response(self, context, **response_kwargs):
        if not self.filterset.is_valid():
            return parameter_errors_as_text(self.filterset)
        method, media_type, extension = self.FORMATS[self.kwargs["format"]]
        lookup = ReferenceLookup(self.request)
        rows = self.filterset.qs.for_references().iterator(chunk_size=self.CHUNK)
        references = (getattr(Reference.from_row(row, lookup), method)() for row in rows)
        response = StreamingHttpResponse(references, content_type=f"{media_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="casebook-initiatives.{extension}"'
        return response

    def paginate_queryset(self, queryset, page_size):
        return None, None, queryset, False  # every record, streamed

    def get_paginate_by(self, queryset):
        return None


class OrganisationListView(BrowseFilterView):
    queryset = Organisation.objects.in_use()
    filterset_class = OrganisationFilterSet
    template_name = "catalogue/organisation_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        in_use = self.get_queryset().order_by().values_list("country", flat=True).distinct()
        country_options = sorted((code, countries.name(code)) for code in in_use if code)
        return super().get_context_data(country_options=country_options, **kwargs)


class VocabularyIndexView(ForgivingPaginationMixin, ListView):
    """Every record of one vocabulary (all nine requirements, every sector, …), each with the
    number of published initiatives it describes, linking to its page."""

    model = None
    paginate_by = 100  # a few dozen today; sources grow with partners' submissions
    template_name = "catalogue/vocabulary_index.html"
    context_object_name = "records"

    def get_queryset(self):
        return self.model.objects.with_initiative_counts()

    def get_context_data(self, **kwargs):
        # Requirements and sources have titles, the other vocabularies names.
        name_field = "name" if hasattr(self.model, "name_zh") else "title"
        return super().get_context_data(
            heading=self.model._meta.verbose_name_plural,
            name_field=name_field,
            **kwargs,
        )


class VocabularyDetailView(ForgivingPaginationMixin, SingleObjectMixin, ListView):
    """A vocabulary record's page: the record and, a page at a time, the published
    initiatives it describes (a source may describe thousands)."""

    # The InitiativeFilterSet parameter that selects this record's initiatives (by slug) in
    # the list, the API and the feed.
    filter_parameter = None
    # references.py's schema.org node of the record, for pages that describe one in JSON-LD.
    linked_data = None

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(queryset=self.model.objects.all())
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        return [f"catalogue/{self.model._meta.model_name}_detail.html"]

    def get_queryset(self):
        return self.get_initiatives()

    def get_initiatives(self):
        # `pk IN (…)` rather than a join and DISTINCT: an organisation matches as lead or
        # partner, and DISTINCT would compare whole rows.
        matching = Initiative.objects.filter(self.model.initiatives_matching(self.object))
        return Initiative.objects.for_listing().filter(pk__in=matching.values("pk"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = QueryDict(mutable=True)
        query[self.filter_parameter] = self.object.slug
        return {
            **context,
            "index_url": reverse(f"catalogue:{self.filter_parameter}-list"),
            "index_heading": self.model._meta.verbose_name_plural,
            "initiatives": context["object_list"],
            "list_query": query.urlencode(),
            "downloads": list_downloads(query),
            "json_ld": {"@context": SCHEMA_ORG, **self.linked_data(self.object, self.request)}
            if self.linked_data
            else None,
        }


class OrganisationDetailView(VocabularyDetailView):
    model = Organisation
    filter_parameter = "organisation"
    linked_data = staticmethod(organisation_json_ld)


class SectorDetailView(VocabularyDetailView):
    model = Sector
    filter_parameter = "sector"


class TechnologyDetailView(VocabularyDetailView):
    model = Technology
    filter_parameter = "technology"


class BeneficiaryGroupDetailView(VocabularyDetailView):
    model = BeneficiaryGroup
    filter_parameter = "beneficiary"


class RequirementDetailView(VocabularyDetailView):
    model = Requirement
    slug_field = slug_url_kwarg = "number"
    filter_parameter = "requirement"

    def get_context_data(self, **kwargs):
        """Besides its cases, a requirement's coverage: its alignments by strength and basis,
        the sectors of its cases, and every requirement from the least covered."""
        requirement = self.object
        alignments = RequirementAlignment.objects.of_published().filter(requirement=requirement)
        counts = alignments.strength_and_basis_counts()
        by_strength = [
            (
                strength_label,
                [(basis_label, counts.get((strength, basis), 0)) for basis, basis_label in BASES],
            )
            for strength, strength_label in RequirementAlignment.Strength.choices
        ]
        coverage = Initiative.objects.coverage()
        sectors = [(sector, coverage.get((sector.pk, requirement.pk), 0)) for sector in Sector.objects.all()]
        least_covered = sorted(
            Requirement.objects.with_initiative_counts(),
            key=lambda other: (other.initiative_count, other.number),
        )
        return super().get_context_data(
            by_strength=by_strength,
            bases=[label for _, label in BASES],
            sector_counts=sorted(((s, n) for s, n in sectors if n), key=lambda item: -item[1]),
            least_covered=least_covered,
            **kwargs,
        )


BASES = RequirementAlignment.Basis.choices


class SourceDetailView(VocabularyDetailView):
    model = Source
    filter_parameter = "source"
    linked_data = staticmethod(source_json_ld)

    def get_initiatives(self):
        return Initiative.objects.in_source(self.object)


def robots_txt(request):
    """Crawlers may read every page but the accounts, the workflow and the admin, and are
    pointed at the sitemap; query strings (filters, sorts, pages: endless combinations of the
    same cases) are left to the sitemap, which lists every case once."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW),
        "Disallow: /*?",
        "Allow: /sitemap-",  # the sitemap's own pages (`?p=2`): the longer rule wins
        f"Sitemap: {request.build_absolute_uri(reverse('catalogue:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


ROBOTS_DISALLOW = ["/admin/", "/accounts/", "/review/", "/submit/", "/submissions/", "/i18n/"]


# --- Helpers ----------------------------------------------------------------------------------


def parameter_errors_as_text(filterset):
    """A 400 naming each refused parameter, for downloads (which have no page to show it)."""
    lines = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


def list_downloads(query):
    """{format: url}: every initiative `query` (a list's own filter parameters) selects, not
    one page of them: the API's CSV, BibTeX and RIS, and the Atom feed (newest first)."""
    query = query.copy()
    query.pop("page", None)
    as_csv = query.copy()
    as_csv["format"] = "csv"
    suffix = f"?{query.urlencode()}" if query else ""
    return {
        "csv": f"{reverse('api:initiative-list')}?{as_csv.urlencode()}",
        "bibtex": reverse("catalogue:initiative-export", kwargs={"format": "bibtex"}) + suffix,
        "ris": reverse("catalogue:initiative-export", kwargs={"format": "ris"}) + suffix,
        "feed": reverse("catalogue:initiative-feed") + suffix,
    }


def facet_groups(filterset):
    """[(bound form field, [FacetOption, …]), …] for the sidebar, in SIDEBAR_FACETS order."""
    options = facet_counts(filterset, SIDEBAR_FACETS)
    return [(filterset.form[name], options[name]) for name in SIDEBAR_FACETS]


def submitted_facets(filterset):
    """The sidebar for an invalid query: each submitted value still shown, checked and
    without a count, so the reader can keep or remove it."""
    return [
        (
            filterset.form[name],
            [FacetOption(value, value, None, True) for value in filterset.data.getlist(name)],
        )
        for name in SIDEBAR_FACETS
    ]


def active_filter_chips(filterset, facets):
    """[(filter label, value label, parameter, values left), …] for every filter in use, valid
    or not, each chip a way to remove it: its link sets the parameter to the values left.

    The values left are the other selected options' values, not the submitted text minus this
    one, so that `?requirement=5` (a number) is removed by the chip showing that requirement.
    """
    chips = []
    for name in PLAIN_FILTERS:
        if filterset.data.get(name, "").strip():
            chips.append((filterset.form[name].label, filterset.data.get(name), name, []))
    for field, options in facets:
        selected = [option for option in options if option.selected]
        chips.extend(
            (
                field.label,
                option.label,
                field.name,
                [other.value for other in selected if other is not option],
            )
            for option in selected
        )
    return chips


def with_shares(records):
    """The records (annotated with `initiative_count`), each given `share`: its count as a
    percentage of the largest, for drawing bars."""
    records = list(records)
    largest = max((record.initiative_count for record in records), default=0) or 1
    for record in records:
        record.share = round(100 * record.initiative_count / largest)
    return records


def coverage_matrix(sectors, requirements):
    """Rows of (sector, [(requirement, count, shade 0–4), …]): how many published
    initiatives in each sector address each requirement."""
    counts = Initiative.objects.coverage()
    largest = max(counts.values(), default=0) or 1

    def cell(sector, requirement):
        count = counts.get((sector.pk, requirement.pk), 0)
        return requirement, count, math.ceil(4 * count / largest)

    return [(sector, [cell(sector, requirement) for requirement in requirements]) for sector in sectors]
