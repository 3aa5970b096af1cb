"""Facet counts for the initiative list, shared by the page and the API (`?facets=`).

A facet option's count is the number of initiatives the list would show if that option were
also chosen: every other active filter applies, but not the facet's own selection (within a
facet, repeated values widen the result with OR).

Cost: every facet is counted in one SQL query, whatever the catalogue's size. The filtered
ids are computed once, as a common table expression (with the few columns of the initiatives
that facets count), and each facet is a GROUP BY over a JOIN with it, grouped by the related
record's id and given its slug only for the dozen groups (a facet with a selection of its own
counts over a second id set, without that selection). A JOIN, not `IN (SELECT id …)`: the
planner cannot estimate the CTE's distinct ids and would probe an index once per initiative.
Then one query per vocabulary facet reads the labels. Long facets (organisations, countries)
keep their top options by count plus the selected ones, so neither the query result nor the
page grows with the catalogue; `facet_page` lists all of one facet's options a page at a time,
searched by name (organisations are searched, counted and cut in SQL). Results are cached
(Django's cache) under the catalogue's data version, so a published change shows at once.
"""

import functools
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import IntegerField, QuerySet, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .caching import caching_is_on
from .languages import reader_language, shown_text
from .models import (
    BeneficiaryGroup,
    Citation,
    Initiative,
    Organisation,
    Requirement,
    RequirementAlignment,
    Sector,
    Source,
    Task,
    Technology,
    ToolProfile,
)
from .models.initiatives import FACET_KEY_TOTALS, PLAUSIBLE_START_YEARS
from .revisions import version_for

# count_facets' name for the number of initiatives passing every filter.
MATCHING = "*"
# Under this name the facet query also returns the ids of the list's page (count_facets' `page`).
PAGE = "#"
# How many options a long facet shows, besides the selected ones.
LONG_FACET_LIMIT = 15
# The longest text `facet_page` searches for.
FACET_SEARCH_MAX_LENGTH = 100
# Facet results are cached under the catalogue's data version, so a change a reader can see
# is never served stale; the timeout only bounds how long unused entries take up memory.
CACHE_SECONDS = 600


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


class FacetResults(dict):
    """{facet name: FacetOptions}, and `matching`: how many initiatives pass every filter,
    when counting the facets counted them too (else None); cached with the facets. Also
    `page_ids`: the ids of the page asked for (facet_counts' `page`), when the facet query
    could read them; never cached (the facets are cached whatever the order and page)."""

    matching = None
    page_ids = None


class FacetOptions(list):
    """A facet's options; `truncated` when a long facet left some out (see LONG_FACET_LIMIT),
    and `total`: how many options match something, shown or not."""

    truncated = False
    total = 0


class VocabularyLabels:
    """A vocabulary facet's labels: {slug: label in the interface language} of every record
    (or of `slugs`), in the vocabulary's own order (Meta.ordering); requirements numbered."""

    def __init__(self, model, field="name", numbered=False):
        self.model, self.field, self.numbered = model, field, numbered

    def __call__(self, slugs=None):
        records = self.model.objects.all() if slugs is None else self.model.objects.filter(slug__in=slugs)
        return self.from_rows(records.values_list("slug", shown_text(self.field), self.number))

    @property
    def number(self):
        return "number" if self.numbered else Value(None, output_field=IntegerField())

    def rows(self, facet_name):
        """(facet name, place in the vocabulary's order, slug, label in the reader's language
        (languages.shown_text), number or None) of every record: one branch of
        `vocabulary_labels`' UNION."""
        return self.model.objects.order_by().values_list(
            Value(facet_name),
            Window(RowNumber(), order_by=self.model._meta.ordering),
            "slug",
            shown_text(self.field),
            self.number,
        )

    def from_rows(self, rows):
        """{slug: label} from (slug, label, number or None) rows, in their order."""
        return {slug: label if number is None else f"{number}. {label}" for slug, label, number in rows}


def vocabulary_labels(facets):
    """{facet name: {slug: label}} of every record of each of `facets`' vocabularies, in one
    query (a UNION of the small vocabularies, not a query each: at 100,000 initiatives a
    query's compiling and objects cost a list page more Python than its rows), compiled once
    per process and language (`_vocabulary_labels_sql`)."""
    if not facets:
        return {}
    connection = connections[DEFAULT_DB_ALIAS]
    names = tuple(facet.name for facet in facets)
    sql, params = _vocabulary_labels_sql(names, reader_language(), connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1]))
    return {
        facet.name: facet.labels.from_rows(row[2:] for row in rows if row[0] == facet.name)
        for facet in facets
    }


@functools.lru_cache(maxsize=64)
def _vocabulary_labels_sql(names, language, using):
    # The labels are in `language` (languages.shown_text reads the active one): part of the key.
    first, *others = [FACETS[name].labels.rows(name) for name in names]
    return first.union(*others, all=True).order_by().query.get_compiler(using).as_sql()


def _choices(choices):
    return lambda slugs=None: dict(choices)


# On PostgreSQL, migration 0022 keeps each initiative's facet values in one array of keys
# `value * 16 + kind`, so that the facets without a selection of their own are counted in one
# pass over the filtered initiatives instead of one join of a whole relation per facet (at
# 100,000 initiatives, about a third of the database time). SQLite counts each facet apart.
# Kinds (Facet.key_kind): 1 sector, 2 technology, 3 requirement, 4 beneficiary group, 5 cited
# source, 6 lead or partner organisation, 7 lead organisation, 8 country, 9 children focus,
# 10 a tool's task, 11 its deployment, 12 its licence (migration 0033; key 10 itself, of value 0,
# counts the initiatives without a start year, and matches no task).
# The unfiltered list reads migration 0024's totals of the published initiatives' keys instead.
KEYS_TABLE = "catalogue_initiative_facet_keys"
KEY_KIND_MASK = 15
COUNTRY_KIND = 8
# Kind 13 (migration 0043): the start year, for filtering only (no facet counts it). A range of
# years is one key lookup per year it holds, of at most 151 plausible years.
START_YEAR_KIND = 13
# Every key's number of published initiatives (migration 0024), as (k, n) rows.
TOTALS_SQL = f"SELECT key, published FROM {FACET_KEY_TOTALS} WHERE published > 0"  # noqa: S608


def country_key(code):
    """A country's key in KEYS_TABLE: its two letters' codes, as migration 0022 writes it."""
    return ((ord(code[0]) * 256 + ord(code[1])) << 4) + COUNTRY_KIND


def keys_where(any_of):
    """(SQL, params): the condition on a KEYS_TABLE row that it holds at least one key of each
    list in `any_of`, which its GIN index answers (intersecting the lists' matches)."""
    return " AND ".join(["keys && %s::bigint[]"] * len(any_of)), [sorted(keys) for keys in any_of]


def having_keys(queryset, any_of):
    """`queryset` narrowed, on PostgreSQL, to the initiatives holding at least one key of each
    list in `any_of` (InitiativeFilterSet.keyed_filters): one search of KEYS_TABLE's GIN index;
    unchanged when `any_of` is empty."""
    if not any_of:
        return queryset
    condition, params = keys_where(any_of)
    sql = f"SELECT initiative_id FROM {KEYS_TABLE} WHERE {condition}"  # noqa: S608 (our table; keys are parameters)
    return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 (the same SQL)


def start_year_key(year):
    """A start year's key in KEYS_TABLE (migration 0043)."""
    return (year << 4) + START_YEAR_KIND


def start_year_keys(year_min, year_max):
    """The keys of the start years from `year_min` to `year_max`, either of them open: the
    plausible years in the range (PLAUSIBLE_START_YEARS, which the database holds every start
    year to). None when neither is given, or when the range holds no plausible year (the
    filter compares the column, which then matches nothing).

    Open, `?year_min=1990` matched most of the catalogue by reading each row's year: its facet
    query took ~470 ms at 100,000 initiatives."""
    if year_min is None and year_max is None:
        return None
    earliest, latest = PLAUSIBLE_START_YEARS[0], PLAUSIBLE_START_YEARS[-1]
    first = earliest if year_min is None else max(year_min, earliest)
    last = latest if year_max is None else min(year_max, latest)
    return [start_year_key(year) for year in range(first, last + 1)] or None


# The columns of the filtered initiatives every facet reads: the common table expression holds
# them, so that the facets on the initiatives' own columns need no second pass over that table.
ID_SET_COLUMNS = ["pk", "children_focus", "lead_organisation_id", "countries"]


def _table(model):
    return connections["default"].ops.quote_name(model._meta.db_table)


def _column(model, field):
    return model._meta.get_field(field).column


def _through_counts(model, field, *, distinct=False, initiative="initiative"):
    """Counting over a relation's rows, grouped by the related record's id and only then
    given its slug (a dozen rows to join, not one per initiative). Each (initiative, value)
    pair counts once: `distinct` where a pair can repeat (two citations of one source).
    `initiative` names the rows' field holding the initiative's id (a tool profile's tasks
    name the profile, whose id is its initiative's)."""
    related = model._meta.get_field(field).related_model
    owner = _column(model, initiative)
    count = f"COUNT(DISTINCT t.{owner})" if distinct else "COUNT(*)"

    def sql(ids):
        key = _column(model, field)
        # S608: table, column and CTE names are made here; nothing from the request.
        return (
            f"SELECT v.slug AS value, c.n AS n FROM (SELECT t.{key} AS key, {count} AS n "  # noqa: S608
            f"FROM {_table(model)} AS t JOIN {ids} AS f ON f.id = t.{owner} GROUP BY t.{key}) AS c "
            f"JOIN {_table(related)} AS v ON v.id = c.key"
        ), ()

    return sql


def _tool_choice_counts(field):
    """A tool profile's choice (deployment, licence): the profiles' rows joined by their
    initiative's id, which is theirs."""

    def sql(ids):
        column = _column(ToolProfile, field)
        # S608: table, column and CTE names are made here; nothing from the request.
        return (
            f"SELECT t.{column} AS value, COUNT(*) AS n FROM {ids} AS f "  # noqa: S608
            f"JOIN {_table(ToolProfile)} AS t ON t.initiative_id = f.id "
            f"WHERE t.{column} <> '' GROUP BY t.{column}"
        ), ()

    return sql


def _organisation_kind_counts(ids):
    return (
        f"SELECT o.kind AS value, COUNT(*) AS n FROM {ids} AS f "  # noqa: S608
        f"JOIN {_table(Organisation)} AS o ON o.id = f.lead_organisation_id GROUP BY o.kind"
    ), ()


def _children_focus_counts(ids):
    # as text, so that every facet's values share one column type in the UNION
    focus = "CASE WHEN f.children_focus THEN 'true' WHEN NOT f.children_focus THEN 'false' END"
    return f"SELECT {focus} AS value, COUNT(*) AS n FROM {ids} AS f GROUP BY {focus}", ()  # noqa: S608


@dataclass(frozen=True)
class Facet:
    """One filter parameter of InitiativeFilterSet shown with counts.

    `counts(ids)` is (SQL, params) selecting (value, n) rows over the initiatives the CTE
    `ids` holds (columns `id` and ID_SET_COLUMNS'); `labels(values)` maps values to labels,
    for all values or just `values`.
    """

    name: str
    counts: object
    labels: object
    long: bool = False  # bounded to LONG_FACET_LIMIT options and the selected ones
    # The kind of this facet's keys in catalogue_initiative_facet_keys (PostgreSQL; see
    # KEYS_TABLE), or 0 for a facet counted from the initiatives' own columns.
    key_kind: int = 0
    # The table whose ids the keys hold, read for their slugs; None for countries (codes).
    key_model: object = None
    # For a facet of fixed choices whose keys hold their place in this list (from 1).
    key_choices: tuple = ()

    def key(self, value):
        """The key in KEYS_TABLE of this facet's `value` (a record's id, a choice's place),
        as migrations 0022, 0024 and 0033 write it."""
        return (value << 4) + self.key_kind

    def keys_of(self, selected):
        """The keys of what a filter's cleaned value `selected` selects in this facet (records,
        country codes, choices, or yes/no): an initiative holding any of them passes."""
        if self.name == "country":
            return [country_key(code) for code in selected]
        if self.name == "children_focus":
            return [self.key(1 if selected else 2)]
        if self.key_choices:
            return [self.key(self.key_choices.index(value) + 1) for value in selected]
        return [self.key(record.pk) for record in selected]

    def sql(self, ids, connection, selected, search=None):
        """[(SQL, params), …] each selecting (value, n, total) rows for this facet: one, or for
        organisations their top options (`total` counting them all) and then the selected
        ones; or, given `search` (text, offset, limit), one page of the options whose name
        contains the text. Only organisations are searched here; other facets are short
        enough to be searched once counted (`facet_page`)."""
        if self.name == "country":
            return [_country_counts_sql(ids, connection)]
        if self.name == "organisation":
            if search is not None:
                return [_organisation_counts_sql(ids, search=search)]
            # one more than could be shown tells whether the facet was cut
            top = _organisation_counts_sql(ids, limit=LONG_FACET_LIMIT + 1 + len(selected))
            return [top, _organisation_counts_sql(ids, sorted(selected))] if selected else [top]
        return [self.counts(ids)]

    def keyed_sql(self, counted, selected=()):
        """[(SQL, params), …] each selecting (value, n, total) rows for this facet from
        `counted`, the CTE of (k, n): every key of the id set's initiatives with how many hold
        it. As Facet.sql: one, or for organisations their best and then the `selected`."""
        mine = f"c.k & {KEY_KIND_MASK} = {int(self.key_kind)}"
        value = "c.k >> 4"
        # S608: table and CTE names made here; nothing from the request.
        if self.name == "country":  # its two letters' codes, ascii(a) * 256 + ascii(b)
            value = f"chr((({value}) >> 8)::int) || chr((({value}) & 255)::int)"
        elif self.name == "children_focus":
            value = f"CASE {value} WHEN 1 THEN 'true' ELSE 'false' END"
        elif self.key_choices:  # its place in the choices, from 1
            sql = f"SELECT (%s::text[])[({value})::int] AS value, c.n AS n FROM {counted} AS c WHERE {mine}"  # noqa: S608
            return [(sql, (list(self.key_choices),))]
        if self.key_model is None:
            return [(f"SELECT {value} AS value, c.n AS n FROM {counted} AS c WHERE {mine}", ())]  # noqa: S608
        slugs = (
            f"SELECT v.slug AS value, c.n AS n, CAST(NULL AS BIGINT) AS total FROM {counted} AS c "  # noqa: S608
            f"JOIN {_table(self.key_model)} AS v ON v.id = {value} WHERE {mine}"
        )
        if self.name != "organisation":
            return [(slugs, ())]
        # Organisations, as Facet.sql: their best (one more than could be shown tells whether
        # the facet was cut) and how many. Only those that could be among the best are given
        # their slugs: the ranks up to the last place shown, ties included.
        shown = LONG_FACET_LIMIT + 1
        ranked = f"SELECT c.k, c.n, rank() OVER (ORDER BY c.n DESC) AS place FROM {counted} AS c WHERE {mine}"  # noqa: S608
        total = f"(SELECT COUNT(*) FROM {counted} AS c WHERE {mine})"  # noqa: S608
        sql = (
            f"SELECT v.slug AS value, r.n AS n, {total} AS total FROM ({ranked}) AS r "  # noqa: S608
            f"JOIN {_table(self.key_model)} AS v ON v.id = r.k >> 4 WHERE r.place <= {shown} "
            f"ORDER BY r.n DESC, v.slug LIMIT {shown}"
        )
        best = (f"SELECT * FROM ({sql}) AS top", ())  # noqa: S608
        if not selected:
            return [best]
        placeholders = ", ".join(["%s"] * len(selected))
        return [best, (f"{slugs} AND v.slug IN ({placeholders})", tuple(sorted(selected)))]


def _compile(queryset, connection):
    return queryset.query.get_compiler(connection=connection).as_sql()


def _country_counts_sql(ids, connection):
    # django-countries keeps several codes in one column ("CN,US"). They are split in SQL,
    # so the database returns one row per country rather than one per initiative.
    if connection.vendor == "postgresql":
        codes = "unnest(string_to_array(f.countries, ',')) AS code(value)"
    else:  # SQLite's JSON1: '["CN","US"]' (two-letter codes never need escaping)
        codes = """json_each('["' || replace(f.countries, ',', '","') || '"]') AS code"""
    # S608: the CTE name is made here; nothing from the request is spliced in.
    sql = (
        f"SELECT code.value AS value, COUNT(DISTINCT f.id) AS n FROM {ids} AS f, {codes} "  # noqa: S608
        f"WHERE f.countries <> '' GROUP BY code.value"
    )
    return sql, ()


def _organisation_counts_sql(ids, selected=(), limit=None, search=None):
    """Lead and partner organisations, each initiative counted once per organisation (UNION
    drops an organisation that both leads and partners), grouped by id and then given their
    slugs: the best `limit`, the counts of the `selected` slugs, or for `search` (text,
    offset, limit) a page of those whose English or Chinese name contains the text.

    The best and the searched come with `total`, the number of organisations before the
    LIMIT (a window function: one pass, no second count)."""
    partners = Initiative.partners.through
    # S608: table and CTE names made here; the selected slugs are parameters.
    pairs = (
        f"SELECT f.lead_organisation_id AS key, f.id AS item FROM {ids} AS f "  # noqa: S608
        f"WHERE f.lead_organisation_id IS NOT NULL UNION SELECT t.organisation_id, t.initiative_id "
        f"FROM {_table(partners)} AS t JOIN {ids} AS f ON f.id = t.initiative_id"
    )
    counted = (
        f"SELECT o.slug AS value, c.n AS n, COUNT(*) OVER () AS total FROM (SELECT key, COUNT(*) AS n "  # noqa: S608
        f"FROM ({pairs}) AS pairs GROUP BY key) AS c JOIN {_table(Organisation)} AS o ON o.id = c.key"
    )
    if selected:
        placeholders = ", ".join(["%s"] * len(selected))
        return f"{counted} WHERE o.slug IN ({placeholders})", tuple(selected)
    if search is not None:
        text, offset, limit = search
        # UPPER on both sides: LIKE ignores case on SQLite (ASCII) but not on PostgreSQL.
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matching = (
            "UPPER(o.name) LIKE UPPER(%s) ESCAPE '\\' OR UPPER(o.name_zh_hans) LIKE UPPER(%s) ESCAPE '\\'"
        )
        return (
            f"SELECT * FROM ({counted} WHERE ({matching}) ORDER BY n DESC, UPPER(o.name), value "  # noqa: S608
            f"LIMIT {int(limit)} OFFSET {int(offset)}) AS page"
        ), (pattern, pattern)
    return f"SELECT * FROM ({counted} ORDER BY n DESC, value LIMIT {int(limit)}) AS top", ()  # noqa: S608


FACETS = {
    facet.name: facet
    for facet in [
        Facet(
            "sector",
            _through_counts(Initiative.sectors.through, "sector"),
            VocabularyLabels(Sector),
            key_kind=1,
            key_model=Sector,
        ),
        Facet(
            "requirement",
            _through_counts(RequirementAlignment, "requirement"),
            VocabularyLabels(Requirement, "title", numbered=True),
            key_kind=3,
            key_model=Requirement,
        ),
        Facet(
            "technology",
            _through_counts(Initiative.technologies.through, "technology"),
            VocabularyLabels(Technology),
            key_kind=2,
            key_model=Technology,
        ),
        Facet(
            "beneficiary",
            _through_counts(Initiative.beneficiary_groups.through, "beneficiarygroup"),
            VocabularyLabels(BeneficiaryGroup),
            key_kind=4,
            key_model=BeneficiaryGroup,
        ),
        Facet(
            "source",
            _through_counts(Citation, "source", distinct=True),
            VocabularyLabels(Source, "title"),
            key_kind=5,
            key_model=Source,
        ),
        Facet(
            "organisation",
            None,
            VocabularyLabels(Organisation),
            long=True,
            key_kind=6,
            key_model=Organisation,
        ),
        Facet(
            "organisation_kind",
            _organisation_kind_counts,
            _choices(Organisation.Kind.choices),
            key_kind=7,  # the lead organisation's kind: its place in Organisation.Kind, from 1
            key_choices=tuple(Organisation.Kind.values),
        ),
        Facet("country", None, _choices(countries), long=True, key_kind=COUNTRY_KIND),
        Facet(
            "children_focus",
            _children_focus_counts,
            _choices([("true", _("yes")), ("false", _("no"))]),
            key_kind=9,  # 1 yes, 2 no
        ),
        Facet(
            "task",
            _through_counts(ToolProfile.tasks.through, "task", initiative="toolprofile"),
            VocabularyLabels(Task),
            key_kind=10,
            key_model=Task,
        ),
        Facet(
            "deployment",
            _tool_choice_counts("deployment"),
            _choices(ToolProfile.Deployment.choices),
            key_kind=11,
            key_choices=tuple(ToolProfile.Deployment.values),
        ),
        Facet(
            "licence",
            _tool_choice_counts("licence"),
            _choices(ToolProfile.Licence.choices),
            key_kind=12,
            key_choices=tuple(ToolProfile.Licence.values),
        ),
    ]
}


def count_facets(filterset, names, search=None, page=None):
    """({facet name: {value: count}}, {facet name: options counted}) for `names`, in one
    query; options come best first (a long facet's selected options after its best). See
    Facet.sql for `search`. The second also holds, under MATCHING, how many initiatives pass
    every filter when the query counted them anyway (else None), and under PAGE, for `page`
    (offset, limit), the ids of that slice of the list in its order, when the query reads the
    list's matches anyway and the order is one of their columns (else None): a search page's
    rows are then read by id, without ranking every match a second time (issue 9)."""
    cleaned = filterset.form.cleaned_data
    queryset = filterset.queryset.all()
    connection = connections[queryset.db]
    # One id set for every facet without a selection of its own; one more for each facet
    # with one, which counts over the other filters only. On PostgreSQL a facet with keys
    # counts them: over the id set (facet_key_counts, one pass for all such facets), or, where
    # its id set is the whole published catalogue, from the totals the database keeps
    # (facet_key_totals), which cost the same at any size. When the keys answer every filter,
    # a facet with a selection of its own counts its keys over the keys rows the other
    # filters match (facet_key_counts_<position>).
    columns = ", ".join(["id", *ID_SET_COLUMNS[1:]])
    ctes = {}  # CTE name: (SQL, params)
    branches = []
    keyed = connection.vendor == "postgresql" and search is None
    counted_kinds = []  # the kinds facet_key_counts counts over facet_ids
    id_sets = {}  # CTE name: the initiatives it would hold
    # When every filter is one the keys answer (no search, say), facet_ids is the published
    # keys rows matching them: counted straight from the keys table (`keys_where`), without
    # reading the initiatives and then their keys again.
    keys_only = filterset.keys_only_filters() if keyed and queryset.is_every_published() else None
    for position, name in enumerate(names):
        facet, selected = FACETS[name], selected_options(cleaned.get(name))
        ids = f"facet_ids_{position}" if selected else "facet_ids"
        if ids not in id_sets:
            # Under every filter, the list's own queryset (unordered below): a search is built once.
            id_sets[ids] = filterset.filter_queryset_except(name, queryset) if selected else filterset.qs
        initiatives = id_sets[ids]
        if keyed and facet.key_kind and initiatives.is_every_published():
            ctes.setdefault(
                "facet_key_totals", (f"facet_key_totals (k, n) AS NOT MATERIALIZED ({TOTALS_SQL})", ())
            )
            parts = facet.keyed_sql("facet_key_totals", selected)
        elif keys_only and facet.key_kind and not selected:
            counted_kinds.append(facet.key_kind)
            parts = facet.keyed_sql("facet_key_counts")
        elif keys_only and facet.key_kind:
            # Its own selection left out, the other filters are keys too: this facet's keys
            # counted over the keys rows they match, without reading the initiatives (at
            # 100,000, a sector, a country and years, the benchmark's q3: the country facet
            # had read every published initiative's countries; the facet query 60 -> 26 ms).
            others = filterset.keyed_filters({n: v for n, v in cleaned.items() if n != name})[1]
            counted = f"facet_key_counts_{position}"
            ctes[counted] = _keyed_counts_cte(counted, others, [facet.key_kind])
            parts = facet.keyed_sql(counted, selected)
        else:
            if ids not in ctes:
                order = page_order(initiatives) if page and ids == "facet_ids" else None
                ordered_by = [name for name, _descending in order or () if name not in ID_SET_COLUMNS]
                values = initiatives.order_by().values(*ID_SET_COLUMNS, *ordered_by)
                sql, params = _compile(values, connection)
                ctes[ids] = (f"{ids} ({', '.join([columns, *ordered_by])}) AS ({sql})", params)
                if order:
                    offset, limit = page
                    sort = ", ".join(
                        f"{'id' if name == 'pk' else name} {'DESC' if descending else 'ASC'}"
                        for name, descending in order
                    )
                    # S608: column names of the id set, made here; offset and limit are parameters.
                    branches.append(
                        (
                            "SELECT %s AS facet, 0 AS part, NULL AS value, page.id AS n, NULL AS total "  # noqa: S608
                            f"FROM (SELECT id FROM facet_ids ORDER BY {sort} LIMIT %s OFFSET %s) AS page",
                            (PAGE, int(limit), int(offset)),
                        )
                    )
            if keyed and facet.key_kind and not selected:
                counted_kinds.append(facet.key_kind)
                parts = facet.keyed_sql("facet_key_counts")
            else:
                parts = facet.sql(ids, connection, selected, search)
        for part, (sql, params) in enumerate(parts):
            alias = f"facet_{position}_{part}"
            # typed, so that PostgreSQL can match the UNION ALL branches
            total = "CAST(total AS BIGINT)" if name == "organisation" else "CAST(NULL AS BIGINT)"
            # S608: compiled querysets and names made here; every value is a parameter.
            branch = f"SELECT %s AS facet, %s AS part, value, n, {total} AS total FROM ({sql}) AS {alias}"  # noqa: S608
            branches.append((branch, (name, part, *params)))
    if keys_only and counted_kinds:
        # the list's own total: key 0 of the same counts, which every row is given below
        branches.append(
            (
                "SELECT %s AS facet, 0 AS part, NULL AS value, n, NULL AS total "
                "FROM facet_key_counts WHERE k = 0",
                (MATCHING,),
            )
        )
    elif "facet_ids" in ctes:
        # the list's own total, from the id set already computed: no second pass of the filter
        # (a search matching 8,000 of 100,000 spent 14 ms counting them again)
        branches.append(
            (
                "SELECT %s AS facet, 0 AS part, NULL AS value, COUNT(*) AS n, NULL AS total FROM facet_ids",
                (MATCHING,),
            )
        )
    if counted_kinds:
        if keys_only:
            # with key 0, which every row holds: the list's own total
            ctes["facet_key_counts"] = _keyed_counts_cte(
                "facet_key_counts", keys_only, counted_kinds, total=True
            )
        else:
            kinds = ", ".join(str(int(kind)) for kind in counted_kinds)
            # S608: table and CTE names and integers made here.
            ctes["facet_key_counts"] = (
                # The ids as an array that the keys' primary key answers as a bitmap, and the
                # keys unnested in the select list (one ProjectSet node, not a function scan set
                # up for each row): 73 -> 55 ms for a word matching 7,875 of 100,000
                # initiatives, against a join (PostgreSQL merge-joined the whole keys table).
                f"facet_key_counts (k, n) AS MATERIALIZED (SELECT k, COUNT(*) FROM (SELECT unnest(x.keys) "  # noqa: S608
                f"AS k FROM {KEYS_TABLE} AS x "
                "WHERE x.initiative_id = ANY(ARRAY(SELECT id FROM facet_ids))) AS u "
                f"WHERE k & {KEY_KIND_MASK} IN ({kinds}) GROUP BY k)",
                (),
            )
    query = "WITH " + ", ".join(sql for sql, _params in ctes.values())
    query += " " + " UNION ALL ".join(sql for sql, _params in branches)
    params = [param for _sql, cte_params in ctes.values() for param in cte_params]
    params += [param for _sql, branch_params in branches for param in branch_params]
    counts = {name: {} for name in names}
    totals = {MATCHING: None, PAGE: None}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    # UNION ALL promises no order: a long facet's best options are sorted again here (a
    # searched page keeps the order its query gave)
    if search is None:
        rows = sorted(rows, key=lambda row: (row[1], -row[3], str(row[2])))
    for facet, part, value, n, total in rows:
        if facet == MATCHING:
            totals[MATCHING] = n
        elif facet == PAGE:
            totals[PAGE] = [*(totals[PAGE] or ()), n]
        elif value is not None and value != "":
            counts[facet].setdefault(value, n)
            if total is not None and part == 0:
                totals[facet] = total
    for name in names:
        totals.setdefault(name, len(counts[name]))
    return counts, totals


def _keyed_counts_cte(name, any_of, kinds, total=False):
    """(SQL, params): the CTE `name` (k, n) of the keys of `kinds` that the published keys
    rows matching `any_of` (keys_where) hold, each with how many hold it; with `total`, also
    key 0 (every row's), counting the rows."""
    where, where_params = keys_where(any_of)
    kinds = ", ".join(str(int(kind)) for kind in kinds)
    keys, wanted = "x.keys", f"k & {KEY_KIND_MASK} IN ({kinds})"
    if total:
        keys, wanted = f"{keys} || 0::bigint", f"(k = 0 OR {wanted})"
    # S608: table and CTE names and integers made here; the keys are parameters. Unnested in
    # the select list, one ProjectSet node rather than a function scan set up for each row
    # (one sector at 100,000: ~47 -> ~42 ms).
    sql = (
        f"{name} (k, n) AS MATERIALIZED (SELECT k, COUNT(*) FROM (SELECT unnest({keys}) AS k "  # noqa: S608
        f"FROM {KEYS_TABLE} AS x WHERE x.published AND {where}) AS u WHERE {wanted} GROUP BY k)"
    )
    return sql, where_params


def page_order(queryset):
    """[(column, descending), …]: `queryset`'s order as columns of its own rows (its
    fields or annotations, "pk" last), or None when it is ordered otherwise (an expression, a
    related field, a language's collation)."""
    order = []
    for item in queryset.query.order_by:
        if not isinstance(item, str) or "__" in item:
            return None
        name = item.lstrip("-")
        if name != "pk" and name not in queryset.query.annotations:
            try:
                field = queryset.model._meta.get_field(name)
            except FieldDoesNotExist:
                return None
            if not field.concrete or field.is_relation:
                return None
        order.append((name, item.startswith("-")))
    return order if order and order[-1][0] == "pk" else None


def facet_counts(filterset, names=None, page=None):
    """{facet name: FacetOptions [FacetOption, …]} for a valid, bound InitiativeFilterSet,
    options in vocabulary order (a FacetResults; `page`: see count_facets).

    Options with no matching initiative are left out unless they are selected, so a reader
    can always see and remove an active filter. A long facet keeps its LONG_FACET_LIMIT
    options with the most initiatives, and the selected ones.
    """
    names = list(FACETS) if names is None else names
    if not names:
        return {}
    if not caching_is_on():
        return compute_facets(filterset, names, page)
    key = cache_key(filterset, names)
    results = cache.get(key)
    if results is None:
        results = compute_facets(filterset, names, page)
        page_ids, results.page_ids = results.page_ids, None  # one order and page's: not cached
        cache.set(key, results, CACHE_SECONDS)
        results.page_ids = page_ids
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


def compute_facets(filterset, names, page=None):
    counts, totals = count_facets(filterset, names, page=page)
    vocabularies = [FACETS[name] for name in names if isinstance(FACETS[name].labels, VocabularyLabels)]
    all_labels = vocabulary_labels([facet for facet in vocabularies if not facet.long])
    results = FacetResults()
    results.matching, results.page_ids = totals[MATCHING], totals[PAGE]
    for name in names:
        facet = FACETS[name]
        selected = selected_options(filterset.form.cleaned_data.get(name))
        options = FacetOptions()
        options.total = totals[name]
        if facet.long:
            shown = {*list(counts[name])[:LONG_FACET_LIMIT], *selected}
            options.truncated = any(value not in shown for value in counts[name])
            counted = {value: n for value, n in counts[name].items() if value in shown}
            labels = facet.labels(shown)
            labels = {value: labels[value] for value in sorted(labels, key=lambda v: str(labels[v]).lower())}
        else:
            labels, counted = all_labels[name] if name in all_labels else facet.labels(), counts[name]
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
    if isinstance(value, QuerySet) and value.query.is_empty():
        # a slug filter given nothing: `.none()`, which iterating would still compile
        return set()
    if isinstance(value, bool):
        return {str(value).lower()}
    if isinstance(value, str):
        return {value}
    return {getattr(item, "slug", item) for item in value}


def facet_page(filterset, name, search="", offset=0, limit=50):
    """(FacetOptions, total): one page of every option of facet `name` that matches something
    under the filterset's other filters, best first, its label containing `search` (any case),
    and how many options so match; for the page that lists a long facet in full.

    One query: organisations are searched, counted and cut in SQL (there may be 10,000),
    then their page's labels are read; the other facets have at most a few hundred options,
    counted in SQL as for the sidebar and then searched by their translated labels.
    """
    facet = FACETS[name]
    selected = selected_options(filterset.form.cleaned_data.get(name))
    options = FacetOptions()
    if name == "organisation":
        counts, totals = count_facets(filterset, [name], search=(search, offset, limit))
        labels = facet.labels(list(counts[name]))
        page = [(value, labels.get(value, value), n) for value, n in counts[name].items()]
        total = totals[name] if counts[name] else 0
    else:
        counts, _totals = count_facets(filterset, [name])
        labels = {str(value): str(label) for value, label in facet.labels().items()}
        wanted = search.casefold()
        matching = [
            (str(value), labels.get(str(value), str(value)), n)
            for value, n in counts[name].items()
            if wanted in labels.get(str(value), str(value)).casefold()
        ]
        matching.sort(key=lambda option: (-option[2], option[1].casefold()))
        page, total = matching[offset : offset + limit], len(matching)
    options.extend(FacetOption(str(value), str(label), n, str(value) in selected) for value, label, n in page)
    return options, total
