"""Facet counts for the initiative list, shared by the page and the API (`?facets=`).

A facet option's count is the number of initiatives the list would show if that option were
also chosen: every other active filter applies, but not the facet's own selection (within a
facet, repeated values widen the result with OR). Each facet costs one query for its counts
and at most one for its vocabulary, whatever the page size.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import (
    BeneficiaryGroup,
    Initiative,
    Organisation,
    Requirement,
    Sector,
    Source,
    Technology,
)


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    """One filter parameter of InitiativeFilterSet shown with counts."""

    name: str
    paths: tuple  # the Initiative field paths whose values are the options
    vocabulary: object = None  # callable returning {value: label}; None → the paths' choices

    def counts(self, initiatives):
        """{option value: number of distinct initiatives} within `initiatives`."""
        ids = Initiative.objects.filter(pk__in=initiatives.values("pk"))
        if self.name == "country":
            # Several codes live in one column ("CN,US"): split them in Python.
            tally = Counter()
            for codes in ids.values_list("countries", flat=True):
                tally.update(code for code in (codes or "").split(",") if code)
            return tally
        if len(self.paths) == 1:
            rows = ids.values(self.paths[0]).annotate(n=Count("pk", distinct=True))
            return {row[self.paths[0]]: row["n"] for row in rows if row[self.paths[0]] is not None}
        # Several paths (lead or partner organisation): count each initiative once per value.
        members = defaultdict(set)
        for path in self.paths:
            for pk, value in ids.values_list("pk", path):
                if value is not None:
                    members[value].add(pk)
        return {value: len(pks) for value, pks in members.items()}

    def labels(self):
        if self.vocabulary is not None:
            return self.vocabulary()
        field = Initiative._meta.get_field(self.paths[0].split("__")[0])
        return dict(field.related_model._meta.get_field(self.paths[0].split("__")[1]).choices)


def _by_slug(model, label="display_name"):
    return lambda: {obj.slug: getattr(obj, label) for obj in model.objects.all()}


def _requirements():
    return {obj.slug: f"{obj.number}. {obj.display_name}" for obj in Requirement.objects.all()}


FACETS = {
    facet.name: facet
    for facet in [
        Facet("sector", ("sectors__slug",), _by_slug(Sector)),
        Facet("requirement", ("requirements__slug",), _requirements),
        Facet("technology", ("technologies__slug",), _by_slug(Technology)),
        Facet("beneficiary", ("beneficiary_groups__slug",), _by_slug(BeneficiaryGroup)),
        Facet("source", ("sources__slug",), _by_slug(Source, "title")),
        Facet("organisation", ("lead_organisation__slug", "partners__slug"), _by_slug(Organisation)),
        Facet("organisation_kind", ("lead_organisation__kind",)),
        Facet("country", ("countries",), lambda: dict(countries)),
        Facet(
            "children_focus",
            ("children_focus",),
            lambda: {True: _("yes"), False: _("no")},
        ),
    ]
}


def facet_counts(filterset, names=None):
    """{facet name: [FacetOption, …]} for a valid, bound InitiativeFilterSet, options in
    vocabulary order.

    Options with no matching initiative are left out unless they are selected, so a reader
    can always see and remove an active filter.
    """
    names = list(FACETS) if names is None else names
    results = {}
    for name in names:
        facet = FACETS[name]
        counts = facet.counts(filterset.filter_queryset_except(name))
        selected = selected_options(filterset.form.cleaned_data.get(name))
        options = []
        for value, label in facet.labels().items():
            key = str(value).lower() if isinstance(value, bool) else str(value)
            count = counts.get(value, 0)
            if count or key in selected:
                options.append(FacetOption(key, str(label), count, key in selected))
        results[name] = options
    return results


def selected_options(value):
    """The option values a filter's cleaned value selects: read from the validated value, not
    the query string, so that `?requirement=5` selects the option whose value is its slug.
    The records of a slug filter were fetched when the form checked them: no query here."""
    if value is None or value == "":
        return set()
    if isinstance(value, bool):
        return {str(value).lower()}
    if isinstance(value, str):
        return {value}
    return {getattr(item, "slug", item) for item in value}
