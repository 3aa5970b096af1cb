"""Facet counts for the initiative list, shared by the page and the API (`?facets=`).

A facet option's count is the number of initiatives the list would show if that option were
also chosen: every other active filter applies, but not the facet's own selection (within a
facet, repeated values widen the result with OR).

Cost: every facet is counted in one SQL query, whatever the catalogue's size. The filtered
ids are computed once, as a common table expression, and each facet is a GROUP BY over them
(a facet with a selection of its own counts over a second id set, without that selection).
Then one query per vocabulary facet reads the labels. Long facets (organisations) keep their
top options by count plus the selected ones, so neither the query result nor the page grows
with the catalogue. Results are cached (Django's cache) under the catalogue's data version,
so a published change shows at once.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connections
from django.db.models import Case, CharField, Count, F, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import (
    BeneficiaryGroup,
    Citation,
    Initiative,
    Organisation,
    Requirement,
    RequirementAlignment,
    Sector,
    Source,
    Technology,
)
from .revisions import version_for

# How many options a long facet shows, besides the selected ones.
LONG_FACET_LIMIT = 15
# Facet results are cached under the catalogue's data version, so a change a reader can see
# is never served stale; the timeout only bounds how long unused entries take up memory.
CACHE_SECONDS = 600


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


class FacetOptions(list):
    """A facet's options; `truncated` when a long facet left some out (see LONG_FACET_LIMIT)."""

    truncated = False


def _label_by_slug(model, label="display_name"):
    def labels(slugs=None):
        records = model.objects.all() if slugs is None else model.objects.filter(slug__in=slugs)
        return {obj.slug: getattr(obj, label) for obj in records}

    return labels


def _requirement_labels(slugs=None):
    return {obj.slug: f"{obj.number}. {obj.display_name}" for obj in Requirement.objects.all()}


def _choices(choices):
    return lambda slugs=None: dict(choices)


def _in(ids):
    """`pk__in` right-hand side reading the common table expression `ids`."""
    return RawSQL(f"SELECT id FROM {ids}", ())  # noqa: S608, S611 — `ids` is a name made here, never input


def _through_counts(model, value):
    """Counting over a relation's rows: each (initiative, value) pair counts once."""
    return lambda ids: (
        model.objects.filter(initiative_id__in=_in(ids))
        .values(value=F(value))
        .annotate(n=Count("initiative_id", distinct=True))
        .order_by()
    )


def _initiative_counts(value):
    return lambda ids: (
        Initiative.objects.filter(pk__in=_in(ids)).values(value=value).annotate(n=Count("pk")).order_by()
    )


@dataclass(frozen=True)
class Facet:
    """One filter parameter of InitiativeFilterSet shown with counts.

    `counts(ids)` is a values queryset of (value, n) over the initiatives whose ids the CTE
    `ids` holds; `labels(values)` maps values to labels, for all values or just `values`.
    """

    name: str
    counts: object
    labels: object
    long: bool = False  # bounded to LONG_FACET_LIMIT options, labels read only for those

    def sql(self, ids, connection, selected):
        """[(SQL, params), …] each selecting (value, n) rows for this facet: one, or for a
        long facet its top options and then its selected ones."""
        if self.name == "country":
            return [_country_counts_sql(ids, connection)]
        if self.name == "organisation":
            # one more than could be shown tells whether the facet was cut
            top = _organisation_counts_sql(ids, connection, limit=LONG_FACET_LIMIT + 1 + len(selected))
            return [top, _organisation_counts_sql(ids, connection, sorted(selected))] if selected else [top]
        return [_compile(self.counts(ids), connection)]


def _compile(queryset, connection):
    return queryset.query.get_compiler(connection=connection).as_sql()


def _country_counts_sql(ids, connection):
    # django-countries keeps several codes in one column ("CN,US"). They are split in SQL,
    # so the database returns one row per country rather than one per initiative.
    table = Initiative._meta.db_table
    if connection.vendor == "postgresql":
        codes = "unnest(string_to_array(i.countries, ',')) AS code(value)"
    else:  # SQLite's JSON1: '["CN","US"]' (two-letter codes never need escaping)
        codes = """json_each('["' || replace(i.countries, ',', '","') || '"]') AS code"""
    # S608: the table and CTE names are made here; nothing from the request is spliced in.
    sql = (
        f"SELECT code.value AS value, COUNT(DISTINCT i.id) AS n FROM {table} AS i, {codes} "  # noqa: S608
        f"WHERE i.id IN (SELECT id FROM {ids}) AND i.countries <> '' GROUP BY code.value"
    )
    return sql, ()


def _organisation_counts_sql(ids, connection, selected=(), limit=None):
    """Lead and partner organisations, each initiative counted once per organisation (UNION
    drops an organisation that both leads and partners): the best `limit`, or the counts of
    the `selected` slugs."""
    led, led_params = _compile(
        Initiative.objects.filter(pk__in=_in(ids), lead_organisation__isnull=False)
        .values(value=F("lead_organisation__slug"), item=F("pk"))
        .order_by(),
        connection,
    )
    partnered, partnered_params = _compile(
        Initiative.partners.through.objects.filter(initiative_id__in=_in(ids))
        .values(value=F("organisation__slug"), item=F("initiative_id"))
        .order_by(),
        connection,
    )
    # Compiled querysets with their own placeholders; the selected slugs are parameters too.
    pairs = f"SELECT value, COUNT(*) AS n FROM ({led} UNION {partnered}) AS pairs"  # noqa: S608
    params = (*led_params, *partnered_params)
    if selected:
        placeholders = ", ".join(["%s"] * len(selected))
        return f"{pairs} WHERE value IN ({placeholders}) GROUP BY value", (*params, *selected)
    return (
        f"SELECT * FROM ({pairs} GROUP BY value ORDER BY n DESC, value LIMIT {int(limit)}) AS top",  # noqa: S608
        params,
    )


FACETS = {
    facet.name: facet
    for facet in [
        Facet("sector", _through_counts(Initiative.sectors.through, "sector__slug"), _label_by_slug(Sector)),
        Facet("requirement", _through_counts(RequirementAlignment, "requirement__slug"), _requirement_labels),
        Facet(
            "technology",
            _through_counts(Initiative.technologies.through, "technology__slug"),
            _label_by_slug(Technology),
        ),
        Facet(
            "beneficiary",
            _through_counts(Initiative.beneficiary_groups.through, "beneficiarygroup__slug"),
            _label_by_slug(BeneficiaryGroup),
        ),
        Facet("source", _through_counts(Citation, "source__slug"), _label_by_slug(Source, "title")),
        Facet("organisation", None, _label_by_slug(Organisation), long=True),
        Facet(
            "organisation_kind",
            _initiative_counts(F("lead_organisation__kind")),
            _choices(Organisation.Kind.choices),
        ),
        Facet("country", None, _choices(countries)),
        Facet(
            "children_focus",
            # as text, so that every facet's values share one column type in the UNION
            _initiative_counts(
                Case(
                    When(children_focus=True, then=Value("true")),
                    When(children_focus=False, then=Value("false")),
                    output_field=CharField(),
                )
            ),
            _choices([("true", _("yes")), ("false", _("no"))]),
        ),
    ]
}


def count_facets(filterset, names):
    """{facet name: {value: count}} for `names`, in one query; a long facet's options come
    best first, then its selected options."""
    cleaned = filterset.form.cleaned_data
    queryset = filterset.queryset.all()
    connection = connections[queryset.db]
    # One id set for every facet without a selection of its own; one more for each facet
    # with one, which counts over the other filters only.
    id_sets = {}  # CTE name: (SQL, params)
    branches = []
    for position, name in enumerate(names):
        selected = selected_options(cleaned.get(name))
        ids = f"facet_ids_{position}" if selected else "facet_ids"
        if ids not in id_sets:
            initiatives = filterset.filter_queryset_except(name if selected else None, queryset)
            id_sets[ids] = _compile(initiatives.order_by().values("pk"), connection)
        for part, (sql, params) in enumerate(FACETS[name].sql(ids, connection, selected)):
            alias = f"facet_{position}_{part}"
            # S608: compiled querysets and names made here; every value is a parameter.
            branch = f"SELECT %s AS facet, %s AS part, value, n FROM ({sql}) AS {alias}"  # noqa: S608
            branches.append((branch, (name, part, *params)))
    ctes = ", ".join(f"{ids} (id) AS ({sql})" for ids, (sql, _params) in id_sets.items())
    query = f"WITH {ctes} " + " UNION ALL ".join(sql for sql, _params in branches)
    params = [param for _sql, cte_params in id_sets.values() for param in cte_params]
    params += [param for _sql, branch_params in branches for param in branch_params]
    counts = {name: {} for name in names}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    # UNION ALL promises no order: a long facet's best options are sorted again here
    for facet, _part, value, n in sorted(rows, key=lambda row: (row[1], -row[3], str(row[2]))):
        if value is not None and value != "":
            counts[facet].setdefault(value, n)
    return counts


def facet_counts(filterset, names=None):
    """{facet name: FacetOptions [FacetOption, …]} for a valid, bound InitiativeFilterSet,
    options in vocabulary order.

    Options with no matching initiative are left out unless they are selected, so a reader
    can always see and remove an active filter. A long facet keeps its LONG_FACET_LIMIT
    options with the most initiatives, and the selected ones.
    """
    names = list(FACETS) if names is None else names
    if not names:
        return {}
    key = cache_key(filterset, names)
    results = cache.get(key)
    if results is None:
        results = compute_facets(filterset, names)
        cache.set(key, results, CACHE_SECONDS)
    return results


def cache_key(filterset, names):
    """The facets' cache key: the catalogue's data version (one query), the interface
    language (labels are translated) and the filters' values as given, ordering left out."""
    version = version_for(filterset.request)
    filters = sorted(
        (name, sorted(filterset.data.getlist(name))) for name in filterset.filters if name != "ordering"
    )
    described = repr((version.number, version.changed_at, get_language(), names, filters))
    return "facets:" + hashlib.sha256(described.encode()).hexdigest()


def compute_facets(filterset, names):
    counts = count_facets(filterset, names)
    results = {}
    for name in names:
        facet = FACETS[name]
        selected = selected_options(filterset.form.cleaned_data.get(name))
        options = FacetOptions()
        if facet.long:
            shown = {*list(counts[name])[:LONG_FACET_LIMIT], *selected}
            options.truncated = any(value not in shown for value in counts[name])
            counted = {value: n for value, n in counts[name].items() if value in shown}
            labels = facet.labels(shown)
            labels = {value: labels[value] for value in sorted(labels, key=lambda v: str(labels[v]).lower())}
        else:
            labels, counted = facet.labels(), counts[name]
        for value, label in labels.items():
            key = str(value)
            count = counted.get(value, 0)
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
