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
from .revisions import catalogue_version

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


def _through_counts(model, field, *, unique_pairs=True):
    """Counting over a relation's rows (`field` names its foreign key to the vocabulary): each
    (initiative, value) pair counts once, with COUNT(*) where a unique constraint already says
    so. Joined to the id set rather than `IN (SELECT id …)`, so the planner knows how many ids
    there are, and grouped by the key before reading the slugs: a search matching 7,700
    initiatives groups 15,000 integers instead of sorting 15,000 slugs."""
    relation = model._meta.get_field(field)
    initiative = model._meta.get_field("initiative").column
    count = "COUNT(*)" if unique_pairs else f"COUNT(DISTINCT t.{initiative})"
    vocabulary = relation.related_model._meta.db_table

    def counts(ids):
        # S608: table, column and CTE names from the models and this module; no value at all.
        return (
            f"SELECT v.slug AS value, c.n FROM (SELECT t.{relation.column} AS key, {count} AS n "  # noqa: S608
            f"FROM {model._meta.db_table} AS t JOIN {ids} AS i ON i.id = t.{initiative} "
            f"GROUP BY t.{relation.column}) AS c JOIN {vocabulary} AS v ON v.id = c.key",
            (),
        )

    return counts


# The id sets carry the initiative's own columns that facets count, read once by the query
# that filters them: counting them from the initiative table again would fetch each filtered
# row once more per facet (7,700 rows of a search four times: 0.4 s of database CPU). Each id
# appears once: the filters match related records with `pk IN (…)`, never a many-valued join.
CARRIED_COLUMNS = ["lead_organisation_id", "children_focus", "countries"]


def _kind_counts(ids):
    organisations = Organisation._meta.db_table
    # S608: table and CTE names made here; nothing from the request is spliced in.
    return (
        f"SELECT o.kind AS value, COUNT(*) AS n FROM {ids} AS i "  # noqa: S608
        f"LEFT JOIN {organisations} AS o ON o.id = i.lead_organisation_id GROUP BY o.kind",
        (),
    )


def _children_focus_counts(ids):
    # as text, so that every facet's values share one column type in the UNION
    case = "CASE WHEN i.children_focus THEN 'true' WHEN NOT i.children_focus THEN 'false' END"
    return f"SELECT {case} AS value, COUNT(*) AS n FROM {ids} AS i GROUP BY 1", ()  # noqa: S608


@dataclass(frozen=True)
class Facet:
    """One filter parameter of InitiativeFilterSet shown with counts.

    `counts(ids)` is the SQL and parameters selecting (value, n) rows over the initiatives
    whose ids (and CARRIED_COLUMNS) the CTE `ids` holds; `labels(values)` maps
    values to labels, for all values or just `values`.
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
        return [self.counts(ids)]


def _compile(queryset, connection):
    return queryset.query.get_compiler(connection=connection).as_sql()


def _country_counts_sql(ids, connection):
    # django-countries keeps several codes in one column ("CN,US"). They are split in SQL,
    # so the database returns one row per country rather than one per initiative.
    if connection.vendor == "postgresql":
        codes = "unnest(string_to_array(i.countries, ',')) AS code(value)"
    else:  # SQLite's JSON1: '["CN","US"]' (two-letter codes never need escaping)
        codes = """json_each('["' || replace(i.countries, ',', '","') || '"]') AS code"""
    # S608: the CTE name is made here; nothing from the request is spliced in.
    sql = (
        f"SELECT code.value AS value, COUNT(DISTINCT i.id) AS n FROM {ids} AS i, {codes} "  # noqa: S608
        "WHERE i.countries <> '' GROUP BY code.value"
    )
    return sql, ()


def _organisation_counts_sql(ids, connection, selected=(), limit=None):
    """Lead and partner organisations, each initiative counted once per organisation (UNION
    drops an organisation that both leads and partners): the best `limit`, or the counts of
    the `selected` slugs."""
    organisations, partners = Organisation._meta.db_table, Initiative.partners.through._meta.db_table
    # S608: table and CTE names made here; the selected slugs are parameters.
    led = (
        f"SELECT o.slug AS value, i.id AS item FROM {ids} AS i "  # noqa: S608
        f"JOIN {organisations} AS o ON o.id = i.lead_organisation_id"
    )
    partnered = (
        f"SELECT o.slug AS value, t.initiative_id AS item FROM {partners} AS t "  # noqa: S608
        f"JOIN {ids} AS i ON i.id = t.initiative_id JOIN {organisations} AS o ON o.id = t.organisation_id"
    )
    pairs = f"SELECT value, COUNT(*) AS n FROM ({led} UNION {partnered}) AS pairs"  # noqa: S608
    params = ()
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
        Facet("sector", _through_counts(Initiative.sectors.through, "sector"), _label_by_slug(Sector)),
        Facet("requirement", _through_counts(RequirementAlignment, "requirement"), _requirement_labels),
        Facet(
            "technology",
            _through_counts(Initiative.technologies.through, "technology"),
            _label_by_slug(Technology),
        ),
        Facet(
            "beneficiary",
            _through_counts(Initiative.beneficiary_groups.through, "beneficiarygroup"),
            _label_by_slug(BeneficiaryGroup),
        ),
        Facet(
            "source",
            # a case may cite the same source at several locations
            _through_counts(Citation, "source", unique_pairs=False),
            _label_by_slug(Source, "title"),
        ),
        Facet("organisation", None, _label_by_slug(Organisation), long=True),
        Facet(
            "organisation_kind",
            _kind_counts,
            _choices(Organisation.Kind.choices),
        ),
        Facet("country", None, _choices(countries)),
        Facet(
            "children_focus",
            _children_focus_counts,
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
            id_sets[ids] = _compile(initiatives.order_by().values("pk", *CARRIED_COLUMNS), connection)
        for part, (sql, params) in enumerate(FACETS[name].sql(ids, connection, selected)):
            alias = f"facet_{position}_{part}"
            # S608: compiled querysets and names made here; every value is a parameter.
            branch = f"SELECT %s AS facet, %s AS part, value, n FROM ({sql}) AS {alias}"  # noqa: S608
            branches.append((branch, (name, part, *params)))
    columns = ", ".join(["id", *CARRIED_COLUMNS])
    ctes = ", ".join(f"{ids} ({columns}) AS ({sql})" for ids, (sql, _params) in id_sets.items())
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
    version = catalogue_version()
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
