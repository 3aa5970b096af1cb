"""Related initiatives for the case page (through `InitiativeQuerySet.related`): the published
initiatives sharing the most of a case's sectors, technologies and requirements, ties by title.

A case's "tags" are those three sets in one list of integers, `id * 4 + kind`. On PostgreSQL
each initiative's tags sit in a GIN-indexed array that triggers keep (migration 0012), and the
ranking walks down from the most shared: level L holds the initiatives sharing at least L of the
case's k tags. Such an initiative lacks at most k - L of them, so if the case's tags are dealt
into k - L + 1 parts it holds one part whole (pigeonhole), and the index finds level L as the
union of k - L + 1 containment queries. Level k usually holds a few dozen; the walk stops at the
first level holding `limit` initiatives (or at level 1), whose best `limit` are then the best of
all. At 100,000 initiatives that reads tens to a few thousand rows (median 22 ms of execution,
80 ms for a case with nine tags) instead of the ~90,000 rows sharing any tag (0.3 s of CPU, 0.8 s
with parallel workers).

Elsewhere (SQLite, small catalogues) the shared through-table rows are counted in one query.
"""

from django.apps import apps
from django.core.exceptions import FullResultSet
from django.db import connections

SECTOR, TECHNOLOGY, REQUIREMENT = 1, 2, 3
TAGS_TABLE = "catalogue_initiative_related_tags"
INITIATIVE_TABLE = "catalogue_initiative"
# Kinds from the rarest tags to the commonest: 26 technologies, 12 sectors, 9 requirements,
# each initiative having one to three of each.
RARITY = {TECHNOLOGY: 0, SECTOR: 1, REQUIREMENT: 2}


def _model(name):
    # Looked up, not imported: the models module imports this one.
    return apps.get_model("catalogue", name)


def tag(kind, pk):
    """The integer migration 0012's triggers store for a sector, technology or requirement."""
    return pk * 4 + kind


def tags_of(initiative):
    """The case's tags, rarest kind first (technologies, the largest vocabulary, then sectors,
    then requirements), from its prefetched sectors, technologies and alignments when the case
    page loaded them (no query), else from migration 0012's table (one query)."""
    cache = getattr(initiative, "_prefetched_objects_cache", {})
    if {"sectors", "technologies", "alignments"} <= cache.keys():
        tags = [
            *(tag(TECHNOLOGY, technology.pk) for technology in initiative.technologies.all()),
            *(tag(SECTOR, sector.pk) for sector in initiative.sectors.all()),
            *(tag(REQUIREMENT, alignment.requirement_id) for alignment in initiative.alignments.all()),
        ]
    else:
        with connections[initiative._state.db or "default"].cursor() as cursor:
            cursor.execute(f"SELECT tags FROM {TAGS_TABLE} WHERE initiative_id = %s", [initiative.pk])  # noqa: S608
            row = cursor.fetchone()
        tags = row[0] if row else []
    return sorted(set(tags), key=lambda value: (RARITY[value % 4], value))


def ranked(initiatives, initiative, limit):
    """[(pk, overlap), …]: the `limit` of `initiatives` other than `initiative` sharing the most
    tags with it, most first, then by title and pk."""
    if connections[initiatives.db].vendor == "postgresql":
        return _ranked_from_index(initiatives, initiative, limit)
    return _ranked_by_counting(initiatives, initiative, limit)


def _ranked_from_index(initiatives, initiative, limit):
    tags = tags_of(initiative)
    if not tags:
        return []
    chosen, chosen_params = _condition_on_the_initiative_table(initiatives)
    overlap = " + ".join(f"(t.tags @> {array_literal([value])})::int" for value in tags)
    params = []

    def level(shared):
        """The best `limit` sharing at least `shared` tags, as an array of [pk, overlap]."""
        parts = [tags[start :: len(tags) - shared + 1] for start in range(len(tags) - shared + 1)]
        holds_a_part = " OR ".join(f"t.tags @> {array_literal(part)}" for part in parts)
        params.extend([initiative.pk, *chosen_params, limit])
        # Only integers and the model's own table names are formatted in.
        return f"""ARRAY(
            SELECT ARRAY[t.initiative_id, {overlap}] FROM {TAGS_TABLE} AS t
            JOIN {INITIATIVE_TABLE} ON {INITIATIVE_TABLE}.id = t.initiative_id
            WHERE ({holds_a_part}) AND {overlap} >= {shared} AND t.initiative_id <> %s AND {chosen}
            ORDER BY {overlap} DESC, {INITIATIVE_TABLE}.title, t.initiative_id
            LIMIT %s
        )"""  # noqa: S608

    most = len(tags)
    sql = f"WITH RECURSIVE walk(shared, ranked) AS (SELECT {most}, {level(most)}"
    if most > 1:
        # Each step down runs only its own level's subquery (CASE evaluates one branch), and
        # none runs once a level holds `limit` initiatives.
        steps = " ".join(f"WHEN {shared} THEN {level(shared)}" for shared in range(most - 1, 0, -1))
        sql += f"""
            UNION ALL SELECT shared - 1, CASE shared - 1 {steps} END FROM walk
            WHERE shared > 1 AND coalesce(array_length(ranked, 1), 0) < %s"""  # noqa: S608
        params.append(limit)
    sql += ") SELECT ranked FROM walk ORDER BY shared LIMIT 1"
    # The planner costs every level, even those that never run, so at scale the estimate
    # passes jit_above_cost, and JIT compilation (about 200 ms) or parallel workers would cost
    # far more than the few hundred rows read: both are switched off for this statement alone
    # (SET LOCAL, in the implicit transaction of one multi-statement string).
    with connections[initiatives.db].cursor() as cursor:
        cursor.execute(f"SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; {sql}", params)
        (rows,) = cursor.fetchone()
    return [(pk, overlap) for pk, overlap in rows]


def array_literal(values):
    """A PostgreSQL bigint[] literal of integers (the tags, made here from primary keys)."""
    return "'{" + ",".join(str(int(value)) for value in values) + "}'::bigint[]"


def _condition_on_the_initiative_table(initiatives):
    """(sql, params): the WHERE clause of `initiatives` (e.g. `published()`), written against
    the initiative table itself when it needs no join, so that each level filters the rows it
    joins instead of semi-joining a second scan of the catalogue."""
    query = initiatives.query
    if len(query.alias_map) <= 1:
        try:
            return query.get_compiler(initiatives.db).compile(query.where)
        except FullResultSet:
            return "TRUE", []
    ids, params = initiatives.order_by().values("pk").query.sql_with_params()
    return f"{INITIATIVE_TABLE}.id IN ({ids})", list(params)


def _ranked_by_counting(initiatives, initiative, limit):
    """One query aggregating the through-table rows of the case's own sectors, technologies
    and requirements (their foreign-key indexes); bounded by the catalogue, not by `limit`."""
    Initiative, RequirementAlignment = _model("Initiative"), _model("RequirementAlignment")
    sectors = Initiative.sectors.through._meta
    technologies = Initiative.technologies.through._meta
    alignments = RequirementAlignment._meta
    published, published_params = initiatives.order_by().values("pk").query.sql_with_params()
    # Raw SQL because the ORM cannot aggregate a UNION. Only table and column names from
    # the models are formatted in; every value is a parameter.
    shared = " UNION ALL ".join(
        f"SELECT initiative_id FROM {table} WHERE {column} IN "  # noqa: S608
        f"(SELECT {column} FROM {table} WHERE initiative_id = %s)"
        for table, column in [
            (sectors.db_table, "sector_id"),
            (technologies.db_table, "technology_id"),
            (alignments.db_table, "requirement_id"),
        ]
    )
    ranking = f"""
        SELECT shared.initiative_id, COUNT(*) AS overlap
        FROM ({shared}) AS shared
        JOIN {Initiative._meta.db_table} AS other ON other.id = shared.initiative_id
        WHERE shared.initiative_id <> %s AND shared.initiative_id IN ({published})
        GROUP BY shared.initiative_id, other.title
        ORDER BY overlap DESC, other.title, shared.initiative_id
        LIMIT %s
    """  # noqa: S608
    with connections[initiatives.db].cursor() as cursor:
        cursor.execute(ranking, [initiative.pk] * 4 + list(published_params) + [limit])
        return cursor.fetchall()
