"""The browse pages: thin views over InitiativeQuerySet, the FilterSets and facet counts."""

import math
from typing import NamedTuple

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin
from django_countries import countries

from .. import dataset, skos
from ..facets import FACET_SEARCH_MAX_LENGTH, FacetOption, facet_counts, facet_page, selected_options
from ..filters import InitiativeFilterSet, OrganisationFilterSet, PageNumberField, PublicationFilterSet
from ..models import (
    BeneficiaryGroup,
    Initiative,
    Organisation,
    Publication,
    Requirement,
    RequirementAlignment,
    Sector,
    Source,
    Task,
    Technology,
)
from ..references import SCHEMA_ORG, Reference, case_json_ld, organisation_json_ld, source_json_ld
from ..revisions import version_for
from .base import BrowseFilterView, DetailedCase, FollowsFormerSlugs, ForgivingPaginationMixin, list_downloads

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
    "task",
    "deployment",
    "licence",
]
# The facets a page of their own lists in full ("Show all …"), each with what its options are
# called. Not children_focus: a yes/no filter takes one value, so it has nothing to show all of.
FACET_PAGES = {
    "sector": _("sectors"),
    "requirement": _("UNICEF requirements"),
    "technology": _("AI technologies"),
    "beneficiary": _("beneficiary groups"),
    "organisation": _("organisations"),
    "organisation_kind": _("kinds of organisation"),
    "source": _("sources"),
    "country": _("countries"),
    "task": _("tasks"),
    "deployment": _("deployments"),
    "licence": _("licences"),
}
# Filters without facet options that still show as removable chips when set.
PLAIN_FILTERS = ["q", "year_min", "year_max", "updated_since"]


class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs):
        sectors = with_shares(Sector.objects.with_initiative_counts())
        requirements = list(Requirement.objects.with_counts_by_basis())
        sources = with_shares(Source.objects.in_use())
        technologies = with_shares(Technology.objects.in_use().order_by("-initiative_count", "name"))
        return super().get_context_data(
            initiative_count=Initiative.objects.published().count(),
            organisation_count=Organisation.objects.in_use().count(),
            country_count=len(Initiative.objects.countries_covered()),
            sources=sources,
            sectors=sectors,
            technologies=technologies,
            requirements=requirements,
            matrix=coverage_matrix(sectors, requirements),
            records_shown=[*sources, *sectors, *technologies, *requirements],  # for base.html's notice
            **kwargs,
        )


class AboutView(TemplateView):
    """What the catalogue holds and from where, how alignments are assessed, the licences,
    how to cite the catalogue, and what changed in the data lately."""

    template_name = "catalogue/about.html"
    RECENT = 10

    def get_context_data(self, **kwargs):
        version = version_for(self.request)
        published = Initiative.objects.published()
        return super().get_context_data(
            version=version,
            dataset_version=dataset.current_version(),
            initiative_count=published.count(),
            sources=Source.objects.in_use(),
            recently_changed=published.select_related("lead_organisation").order_by("-updated_at", "-pk")[
                : self.RECENT
            ],
            site_url=self.request.build_absolute_uri("/"),
            **kwargs,
        )


class InitiativeListView(BrowseFilterView):
    queryset = Initiative.objects.for_cards()
    filterset_class = InitiativeFilterSet
    template_name = "catalogue/initiative_list.html"

    def get_context_data(self, *, object_list, **kwargs):
        valid = self.filterset.is_valid()
        search = self.filterset.form.cleaned_data.get("q", "") if valid else ""
        # The facet query also reads the requested page's ids when it can (count_facets); a
        # page that turns out not to exist is read as the paginator finds it.
        page = self.requested_slice() if valid else None
        facets = facet_groups(self.filterset, page) if valid else submitted_facets(self.filterset)
        return super().get_context_data(
            object_list=object_list.with_search_headline(search)
            .with_count(facets.matching)
            .with_page_ids(page and page[0], facets.page_ids),
            search=search,
            facets=facets,
            chips=active_filter_chips(self.filterset, facets),
            downloads=list_downloads(self.request.GET) if valid else None,
            undated_count=Initiative.objects.without_start_year().count(),
            **kwargs,
        )


class InitiativeFacetView(TemplateView):
    """Every option of one facet with its count under the list's current filters, searched by
    name (`facet_q`) and a page at a time: how a reader reaches the options a long facet leaves
    out of the sidebar, without JavaScript. Ticking options returns to the list with them
    added and every other filter kept."""

    template_name = "catalogue/initiative_facet.html"
    paginate_by = 50
    # Parameters of this page, not filters: the list never receives them.
    OWN_PARAMETERS = ("facet_q", "page")
    LAST_PAGE = 100_000

    def get(self, request, name):
        if name not in FACET_PAGES:
            raise Http404
        search_field = forms.CharField(max_length=FACET_SEARCH_MAX_LENGTH, required=False)
        self.filterset = InitiativeFilterSet(
            data=request.GET,
            request=request,
            queryset=Initiative.objects.published(),
            door_parameters={"page": PageNumberField(), "facet_q": search_field},
        )
        context = self.get_context_data(name=name, facet_name=FACET_PAGES[name], filter=self.filterset)
        if not self.filterset.is_valid():
            return self.render_to_response(context, status=400)
        return self.render_to_response({**context, **self.options_page(name)})

    def options_page(self, name):
        search = self.request.GET.get("facet_q", "").strip()
        # bounded, so that the OFFSET stays a number the database takes (past the end anyway)
        number = min(max(int(self.request.GET.get("page") or 1), 1), self.LAST_PAGE)
        size = self.paginate_by
        options, total = facet_page(self.filterset, name, search, (number - 1) * size, size)
        requested_page_missing = None
        if not options and number > 1:  # past the end: the first page instead, and say so
            requested_page_missing, number = self.request.GET["page"], 1
            options, total = facet_page(self.filterset, name, search, 0, size)
        page_obj = Paginator(FetchedPage(total, options), size).page(number)
        shown = {option.value for option in options}
        selected = [value for value in selected_values(self.filterset, name) if value not in shown]
        return {
            "options": options,
            "total": total,
            "search": search,
            "page_obj": page_obj,
            "paginator": page_obj.paginator,
            "requested_page_missing": requested_page_missing,
            "kept_filters": kept_filters(self.filterset, name),
            "selected_elsewhere": selected,
            "search_query": self.query_pairs(),
            "apply_query": self.query_pairs(name),
            "list_query": self.list_query(),
        }

    def query_pairs(self, *left_out):
        """(parameter, value) pairs of the query string, without this page's own parameters
        and `left_out`: the hidden inputs that carry the current filters through a form."""
        dropped = {*self.OWN_PARAMETERS, *left_out}
        pairs = self.request.GET.lists()
        return [(key, value) for key, values in pairs if key not in dropped for value in values]

    def list_query(self):
        query = self.request.GET.copy()
        for key in self.OWN_PARAMETERS:
            query.pop(key, None)
        return f"?{query.urlencode()}" if query else ""


class FetchedPage:
    """What Paginator needs of a list it never holds: how long it is, and the one page that
    was fetched (facet_page counts and cuts in SQL)."""

    def __init__(self, total, page):
        self.total, self.page = total, page

    def count(self):
        return self.total

    def __getitem__(self, bounds):
        return self.page


def kept_filters(filterset, left_out):
    """[(filter label, value label), …] for every filter in use but `left_out` and the sort:
    what a facet's own page keeps. Read from the validated values (the records the form
    fetched to check the slugs), so no query."""
    kept = []
    for name, value in filterset.form.cleaned_data.items():
        if name in {left_out, "ordering"} or value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        # a slug filter's choices would read its whole table; its values are records anyway
        choices = {} if hasattr(field, "queryset") else dict(getattr(field, "choices", []))
        values = value if isinstance(value, list | tuple) or hasattr(value, "model") else [value]
        for item in values:
            shown = getattr(item, "display_name", None) or choices.get(item, item)
            if isinstance(item, bool):
                shown = _("yes") if item else _("no")
            kept.append((field.label, str(shown)))
    return kept


def selected_values(filterset, name):
    """The option values of facet `name` the valid filterset selects."""
    return sorted(selected_options(filterset.form.cleaned_data.get(name)))


class InitiativeDetailView(FollowsFormerSlugs, DetailedCase, DetailView):
    """A case page: the case itself. Its related initiatives are a page of their own
    (InitiativeRelatedView), which the case page links to and, with JavaScript, shows in place:
    ranking them is most of a case page's cost at 100,000 initiatives (13 ms of database time
    of 18), and most readers never scroll to them."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reference=Reference.of(self.object, self.request),
            json_ld=case_json_ld(self.object, self.request),
            **kwargs,
        )


class InitiativeRelatedView(FollowsFormerSlugs, DetailView):
    """The published initiatives sharing the most sectors, technologies and requirements with
    a case. `?partial=1` answers only the list, which the case page's script puts in place."""

    template_name = "catalogue/initiative_related.html"
    partial_template_name = "partials/related_initiatives.html"

    def get_queryset(self):
        # The case as its page finds it (a members-only one for its readers); the related
        # ones are published cases.
        readable = Initiative.objects.readable_by(self.request.user)
        return readable.prefetch_related("sectors", "technologies", "alignments")

    def get_template_names(self):
        return [self.partial_template_name if self.request.GET.get("partial") else self.template_name]

    def get_context_data(self, **kwargs):
        related = Initiative.objects.related(self.object)[:6]
        # the page reads the rows once, for its notice or its list, whichever comes first
        return super().get_context_data(related=related, records_shown=related, **kwargs)


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
        concept_scheme = next(
            (name for name, (model, *_) in skos.SCHEMES.items() if model is self.model), None
        )
        return super().get_context_data(
            heading=self.model._meta.verbose_name_plural,
            name_field=name_field,
            concept_scheme=concept_scheme,
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
        return Initiative.objects.for_cards().filter(pk__in=matching.values("pk"))

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

    def get_context_data(self, **kwargs):
        publications = Publication.objects.of_organisation(self.object)
        return super().get_context_data(publications=publications, **kwargs)


class PublicationListView(BrowseFilterView):
    """The reports, action plans and events the sources describe."""

    queryset = Publication.objects.for_listing()
    filterset_class = PublicationFilterSet
    template_name = "catalogue/publication_list.html"


class PublicationDetailView(ForgivingPaginationMixin, SingleObjectMixin, ListView):
    """A report or event: its findings and recommendations with their quotes, organisations by
    role, and, a page at a time, the published cases it features."""

    template_name = "catalogue/publication_detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(queryset=Publication.objects.for_detail())
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Initiative.objects.featured_in(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, "publication": self.object, "initiatives": context["object_list"]}


class SectorDetailView(VocabularyDetailView):
    model = Sector
    filter_parameter = "sector"


class TechnologyDetailView(VocabularyDetailView):
    model = Technology
    filter_parameter = "technology"


class TaskDetailView(VocabularyDetailView):
    """A task and the published tools that support it."""

    model = Task
    filter_parameter = "task"


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
            Requirement.objects.with_counts_by_basis(),
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


class FacetGroups(list):
    """The sidebar's [(bound form field, [FacetOption, …]), …], and `matching`: how many
    initiatives pass the filters, and `page_ids`, if counting the facets told (FacetResults)."""

    matching = page_ids = None


def facet_groups(filterset, page=None):
    """FacetGroups for the sidebar, in SIDEBAR_FACETS order; in each facet the selected
    options come first, so they are never scrolled out of sight."""
    options = facet_counts(filterset, SIDEBAR_FACETS, page)
    for name in SIDEBAR_FACETS:
        options[name].sort(key=lambda option: not option.selected)  # stable; keeps `truncated`
    groups = FacetGroups((filterset.form[name], options[name]) for name in SIDEBAR_FACETS)
    groups.matching, groups.page_ids = options.matching, options.page_ids
    return groups


def submitted_facets(filterset):
    """The sidebar for an invalid query: each submitted value still shown, checked and
    without a count, so the reader can keep or remove it."""
    return FacetGroups(
        (
            filterset.form[name],
            [FacetOption(value, value, None, True) for value in filterset.data.getlist(name)],
        )
        for name in SIDEBAR_FACETS
    )


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


class CoverageCell(NamedTuple):
    requirement: Requirement
    count: int
    shade: int  # 0 to 4
    stated: int
    inferred: int


def coverage_matrix(sectors, requirements):
    """Rows of (sector, [CoverageCell, …]): how many published initiatives in each sector
    address each requirement, and of those how many by an alignment stated in the source and
    how many by an inference."""
    counts = Initiative.objects.coverage_by_basis()
    largest = max((sum(pair) for pair in counts.values()), default=0) or 1

    def cell(sector, requirement):
        stated, inferred = counts.get((sector.pk, requirement.pk), (0, 0))
        count = stated + inferred
        return CoverageCell(requirement, count, math.ceil(4 * count / largest), stated, inferred)

    return [(sector, [cell(sector, requirement) for requirement in requirements]) for sector in sectors]
