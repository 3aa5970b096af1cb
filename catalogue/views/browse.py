"""The browse pages: thin views over InitiativeQuerySet, the FilterSets and facet counts."""

import math
from typing import NamedTuple

from django.http import QueryDict
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin
from django_countries import countries

from .. import skos
from ..facets import FacetOption, facet_counts
from ..filters import InitiativeFilterSet, OrganisationFilterSet
from ..models import (
    BeneficiaryGroup,
    Initiative,
    Organisation,
    Requirement,
    RequirementAlignment,
    Sector,
    Source,
    Technology,
)
from ..references import SCHEMA_ORG, Reference, case_json_ld, organisation_json_ld, source_json_ld
from ..revisions import version_for
from .base import BrowseFilterView, FollowsFormerSlugs, ForgivingPaginationMixin, list_downloads

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


class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs):
        sectors = with_shares(Sector.objects.with_initiative_counts())
        requirements = list(Requirement.objects.with_counts_by_basis())
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
            initiative_count=published.count(),
            sources=Source.objects.in_use(),
            recently_changed=published.select_related("lead_organisation").order_by("-updated_at", "-pk")[
                : self.RECENT
            ],
            site_url=self.request.build_absolute_uri("/"),
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


class InitiativeDetailView(FollowsFormerSlugs, DetailView):
    """A case page: the case itself. Its related initiatives are a page of their own
    (InitiativeRelatedView), which the case page links to and, with JavaScript, shows in place:
    ranking them is most of a case page's cost at 100,000 initiatives (13 ms of database time
    of 18), and most readers never scroll to them."""

    queryset = Initiative.objects.for_detail()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reference=Reference.of(self.object, self.request),
            json_ld=case_json_ld(self.object, self.request),
            **kwargs,
        )


class InitiativeRelatedView(FollowsFormerSlugs, DetailView):
    """The published initiatives sharing the most sectors, technologies and requirements with
    a case. `?partial=1` answers only the list, which the case page's script puts in place."""

    queryset = Initiative.objects.published().prefetch_related("sectors", "technologies", "alignments")
    template_name = "catalogue/initiative_related.html"
    partial_template_name = "partials/related_initiatives.html"

    def get_template_names(self):
        return [self.partial_template_name if self.request.GET.get("partial") else self.template_name]

    def get_context_data(self, **kwargs):
        return super().get_context_data(related=Initiative.objects.related(self.object)[:6], **kwargs)


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


def facet_groups(filterset):
    """[(bound form field, [FacetOption, …]), …] for the sidebar, in SIDEBAR_FACETS order;
    in each facet the selected options come first, so they are never scrolled out of sight."""
    options = facet_counts(filterset, SIDEBAR_FACETS)
    for name in SIDEBAR_FACETS:
        options[name].sort(key=lambda option: not option.selected)  # stable; keeps `truncated`
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
