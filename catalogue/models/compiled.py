"""Queries whose SQL is compiled once per process and, on PostgreSQL, planned once per
database session, then run with other ids.

Building and compiling a queryset with subqueries or annotations can cost Django more than the
database spends running it: a case page's eight relations took 4 ms to compile against 2 ms of
PostgreSQL, the Hub's "which communities hold members-only content" 1.6 ms against 0.2. Such a
query is built once with placeholder arguments (ids no table holds, or a text no slug holds),
and each run swaps them for the real ones in the compiled parameters.

PostgreSQL then spends most of its time planning it (the relations: 0.9 ms of planning for 0.4
of execution at 100,000 initiatives), so the SQL is also a prepared statement of the session
(`PREPARE`, then `EXECUTE`), planned once: PostgreSQL keeps the plan while the connection lives
(CONN_MAX_AGE) and re-plans by itself after a migration. Prepared statements belong to a
session, so a pooler in front of PostgreSQL must pool by session, not by transaction.
"""

import functools
import hashlib
import re
import weakref

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Expression, prefetch_related_objects
from django.db.models.query import get_related_populators

# Values a query is built with, then swapped for the real ones: no row has these ids, and no
# slug holds U+FFFC.
PLACEHOLDER_ID = -(10**15)
PLACEHOLDER_TEXT = "\ufffccompiled-placeholder-"


def placeholder(position, kind=int):
    """The stand-in for the value at `position` of a query's arguments (an int or a str)."""
    return PLACEHOLDER_ID - position if kind is int else f"{PLACEHOLDER_TEXT}{position}"


def with_real_values(params, values):
    """The compiled `params` with each placeholder replaced by the value at its position."""
    real = {placeholder(i, type(value)): value for i, value in enumerate(values)}
    return [real.get(param, param) if type(param) in (int, str) else param for param in params]


# Django's placeholders and escaped percent signs, as PREPARE wants them ($1, $2, … and %).
_FORMAT = re.compile(r"%([s%])")


class _Prepared:
    """The statements one database session has prepared (a reconnection is a new psycopg2
    connection object, and PostgreSQL forgets them with the session)."""

    def __init__(self, session):
        self.session = session
        self.names = set()
        # Bumped when a run fails: whether its PREPARE took effect is then unknown, so the
        # statements are prepared again under new names (an old one is never prepared twice).
        self.generation = 0


def execute(cursor, name, sql, params):
    """Run `sql` (the same text every time) with `params` on `cursor`. On PostgreSQL, the first
    run in a database session prepares it as a statement named after `name` in the same round
    trip (so a page's query count never depends on what ran before it on the connection)."""
    connection = cursor.db
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    prepared = getattr(connection, "_prepared_statements", None)
    if prepared is None or prepared.session is not connection.connection:
        prepared = connection._prepared_statements = _Prepared(connection.connection)
    statement = f"{name}_{hashlib.sha256(sql.encode()).hexdigest()[:12]}_{prepared.generation}"
    arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
    run = f"EXECUTE {statement}{arguments}"
    if statement not in prepared.names:
        numbers = iter(range(1, len(params) + 1))
        as_prepared = _FORMAT.sub(lambda match: f"${next(numbers)}" if match[1] == "s" else "%%", sql)
        run = f"PREPARE {statement} AS {as_prepared}; {run}"
    try:
        cursor.execute(run, params)
    except Exception:
        prepared.generation += 1
        prepared.names.clear()
        raise
    prepared.names.add(statement)  # PREPARE outlives a rollback of its transaction


def compiled_once(build):
    """Decorate `build(*args)`, which returns a queryset of one model filtered by `args` (ints
    or strs, used as they are: exact lookups or `__in`, not `__icontains`): calling the
    decorated function with real arguments returns the list of instances, as the queryset
    would (its select_related rows, its prefetch_related lookups and, for initiatives, its
    with_relations() and with_relations_of()), the SQL compiled once per database and kind of
    arguments."""
    compiled = {}

    @functools.wraps(build)
    def run(*args, using=DEFAULT_DB_ALIAS):
        kinds = tuple(type(arg) for arg in args)
        if (using, kinds) not in compiled:
            queryset = build(*(placeholder(i, kind) for i, kind in enumerate(kinds)))
            compiler = queryset.query.get_compiler(using)
            sql, params = compiler.as_sql()
            missing = [i for i, kind in enumerate(kinds) if placeholder(i, kind) not in params]
            if missing:
                raise ValueError(f"{build.__name__}: argument {missing[0]} does not reach the SQL as given")
            compiled[using, kinds] = (queryset, compiler, sql, tuple(params))
        queryset, compiler, sql, params = compiled[using, kinds]
        with connections[using].cursor() as cursor:
            execute(cursor, build.__name__.strip("_"), sql, with_real_values(params, args))
            rows = cursor.fetchall()
        records = _instances(compiler, rows, using, queryset._fetch_mode)
        if records:
            from .relations import load_queryset_relations  # relations.py runs its queries through here

            load_queryset_relations(records, queryset)
        if records and queryset._prefetch_related_lookups:
            prefetch_related_objects(records, *queryset._prefetch_related_lookups)
        return records

    return run


def _instances(compiler, rows, using, fetch_mode):
    """The model instances of `rows` and of the rows they select_related, as Django's
    ModelIterable makes them (the backend's converters applied: SQLite's dates are text)."""
    klass_info, select = compiler.klass_info, compiler.select
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    attnames = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, using, fetch_mode)
    records, peers = [], []
    for row in compiler.results_iter([rows]):
        record = model.from_db(using, attnames, row[start:end], fetch_mode=fetch_mode)
        if fetch_mode.track_peers:  # the rows of one query know each other, as ModelIterable's
            peers.append(weakref.ref(record))
            record._state.peers = peers
        for populator in populators:
            populator.populate(row, record)
        records.append(record)
    return records


class Precompiled(Expression):
    """An expression over a model's row whose SQL is built and compiled once per process (per
    database, table alias, `shape` and kinds of `values`) with placeholder values, then given
    the real `values` each time: `build(*placeholders, *shape)` returns the expression (a
    condition, when `output_field` is a BooleanField).

    A search's condition, rank and headlines are a few hundred expression nodes, which each of
    a search page's queries copied, resolved and compiled again (some 10 ms of its Python at
    100,000 initiatives, issue 9). `shape` holds what changes the SQL itself (the reader's
    languages, Chinese terms matched by substring); the values must reach the SQL as they are,
    as parameters (compiled_once's rule). The expression keeps the alias of the table it is
    about, and follows it when Django renames it (a subquery's `W0`)."""

    def __init__(self, build, values, shape=(), output_field=None):
        super().__init__(output_field=output_field)
        self.build, self.values, self.shape = build, tuple(values), tuple(shape)
        self.model = self.alias = None

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        resolved.model, resolved.alias = query.model, query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        kinds = tuple(type(value) for value in self.values)
        sql, params = _compiled_expression(
            self.model, self.build, self.shape, kinds, self.conditional, connection.alias, self.alias
        )
        return sql, with_real_values(params, self.values)


@functools.lru_cache(maxsize=256)
def _compiled_expression(model, build, shape, kinds, conditional, using, alias):
    expression = build(*(placeholder(i, kind) for i, kind in enumerate(kinds)), *shape)
    queryset = model._base_manager.all()
    if hasattr(queryset, "rewrite"):  # modeltranslation's: names are columns, as in the list's querysets
        queryset = queryset.rewrite(False)
    queryset = queryset.filter(expression) if conditional else queryset.annotate(precompiled=expression)
    query = queryset.query
    base = query.get_initial_alias()
    if alias != base:
        # Compiled as the query it goes into names the table, quoting included (Django leaves
        # a subquery's alias, W0, unquoted).
        query.change_aliases({base: alias})
    compiler = query.get_compiler(using)
    sql, params = compiler.compile(query.where if conditional else query.annotations["precompiled"])
    missing = [i for i, kind in enumerate(kinds) if placeholder(i, kind) not in params]
    if missing:
        raise ValueError(f"{build.__name__}: value {missing[0]} does not reach the SQL as given")
    return f"({sql})", tuple(params)
