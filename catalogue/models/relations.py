"""Many relations of some records in one query, where `prefetch_related` spends one per relation.

A case page shows eight relations of one initiative (sectors, technologies, citations with
their sources, …). Prefetched, that is eight queries, and at 100,000 initiatives their
compilation, round trips and bookkeeping were half of the page's cost (issue 9's q6). Here the
relations are one UNION ALL: each branch selects a related model's rows as JSON objects of
their concrete fields (and of the rows they select_related), with the owner's id and their
place in the model's own order; the results fill each record's prefetch cache, so
`initiative.sectors.all()` in a template or serializer reads them without a query, exactly as
after `prefetch_related`.
"""

import datetime
import functools
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import connections, models
from django.db.models import F, JSONField, Value, Window
from django.db.models.fields.related import ManyToManyField
from django.db.models.functions import JSONObject, RowNumber

from .compiled import execute, placeholder, with_real_values


@dataclass(frozen=True)
class Relation:
    """One relation of the owner model, by name, with the foreign keys of its rows to follow
    (as `select_related` would)."""

    name: str
    select_related: tuple = field(default=())


def _fields_as_json(model, prefix=""):
    """A JSONObject of `model`'s concrete fields (their attnames), read through `prefix`."""
    return JSONObject(**{f.attname: F(prefix + f.attname) for f in model._meta.concrete_fields})


# Fields whose to_python gives a JSON value back as it is (a str to a text field, an int to an
# integer field): reading them skips the call. Together with looking the connection up once per
# query rather than once per row, and modeltranslation's queryset classes built once
# (translation.py), this took the Python of a case page's relations from 1.4 to 0.9 ms
# (in-process, 400 cases at 100,000; the three were measured together).
_JSON_AS_IS = {models.CharField.to_python, models.TextField.to_python, models.IntegerField.to_python}


@functools.cache
def _columns(model, vendor):
    """The attnames of `model`'s concrete fields, and how to read each one's JSON value: None where the
    JSON value is the field's value already; "json" for a JSON field (SQLite's JSON_OBJECT
    gives it as JSON text); else the field's to_python, as for dates (JSON has none) and, on
    SQLite, booleans (it gives 0 and 1)."""
    reads = []
    for model_field in model._meta.concrete_fields:
        target = model_field.target_field if model_field.is_relation else model_field
        if isinstance(model_field, JSONField):
            read = "json" if vendor == "sqlite" else None
        elif type(target).to_python in _JSON_AS_IS or (
            vendor != "sqlite" and isinstance(target, models.BooleanField)
        ):
            read = None
        else:
            read = target.to_python
        reads.append(read)
    return [f.attname for f in model._meta.concrete_fields], reads


def _from_json(model, data, db, vendor):
    """An instance of `model` from `_fields_as_json`'s object, as if database `db` (of `vendor`)
    had sent its row: each value read as _columns says, and datetimes stored without a zone
    (SQLite keeps UTC) made aware as the backend's converters do."""
    attnames, reads = _columns(model, vendor)
    values = []
    for attname, read in zip(attnames, reads, strict=True):
        value = data[attname]
        if read is None or value is None:
            pass
        elif read == "json":
            if isinstance(value, str):
                value = json.loads(value)
        else:
            value = read(value)
            if isinstance(value, datetime.datetime) and settings.USE_TZ and value.tzinfo is None:
                value = value.replace(tzinfo=datetime.UTC)
        values.append(value)
    return model.from_db(db, attnames, values)


def _ordering(model, ordering, prefix=""):
    """`ordering` (a Meta.ordering) as the database sorts it in an ORDER BY, for a window: a
    foreign key's name stands for its model's own ordering, as QuerySet.order_by() reads it
    (Citation's "source" is the source's date and title, not its id)."""
    expanded = []
    for item in ordering:
        if not isinstance(item, str):
            if prefix:  # an expression of a related model's ordering: none today
                raise NotImplementedError(f"ordering {item!r} through {prefix!r}")
            expanded.append(item)
            continue
        descending, name = item.startswith("-"), item.lstrip("-")
        field = model._meta.get_field(name) if name != "pk" and "__" not in name else None
        if field is not None and field.is_relation and field.related_model._meta.ordering:
            for inner in _ordering(
                field.related_model, field.related_model._meta.ordering, f"{prefix}{name}__"
            ):
                flipped = inner[1:] if inner.startswith("-") else f"-{inner}"
                expanded.append(flipped if descending else inner)
            continue
        expanded.append(f"{'-' if descending else ''}{prefix}{name}")
    return expanded


# The columns of every branch (named so as not to clash with the related models' fields).
COLUMNS = ("relation_name", "relation_owner", "relation_place", "relation_data")


def _branch(owner_model, relation, ids):
    """The rows of `relation` for owners `ids`, as COLUMNS."""
    descriptor = owner_model._meta.get_field(relation.name)
    target = descriptor.related_model
    # The path from the related model back to the owner: `initiatives` for a many-to-many
    # declared on Initiative, the foreign key's own name for a reverse relation.
    declared_here = isinstance(descriptor, ManyToManyField)
    back = descriptor.related_query_name() if declared_here else descriptor.field.name
    data = _fields_as_json(target)
    for name in relation.select_related:
        followed = target._meta.get_field(name).related_model
        data = JSONObject(own=data, **{name: _fields_as_json(followed, prefix=f"{name}__")})
    queryset = target._default_manager.filter(**{f"{back}__in": ids})
    return (
        queryset.annotate(
            relation_name=Value(relation.name),
            relation_owner=F(back),
            # The model's own order, ties broken by id, so that a page lists them the same
            # way every time.
            relation_place=Window(
                RowNumber(), partition_by=F(back), order_by=[*_ordering(target, target._meta.ordering), "pk"]
            ),
            relation_data=data,
        )
        .order_by()
        .values(*COLUMNS)
    )


@functools.lru_cache(maxsize=32)
def _compiled(owner_model, relations, how_many, alias):
    """The SQL and parameters of the union for `how_many` owners, compiled once per process:
    compiling eight annotated branches costs more than running them (4 ms of Python against
    2 of PostgreSQL for a case page). The owners' ids are placeholders (compiled.py)."""
    branches = [
        _branch(owner_model, relation, [placeholder(i) for i in range(how_many)]) for relation in relations
    ]
    rows = branches[0].union(*branches[1:], all=True).order_by() if len(branches) > 1 else branches[0]
    sql, params = rows.query.get_compiler(alias).as_sql()
    return sql, tuple(params)


def load_queryset_relations(records, queryset):
    """Load into `records`, the rows `queryset` fetched, the relations its with_relations() and
    with_relations_of() asked for."""
    load_relations(records, getattr(queryset, "_relations_in_one_query", ()))
    for path, relations in getattr(queryset, "_relations_of_related", ()):
        followed = [related for record in records if (related := _followed(record, path)) is not None]
        load_relations(followed, relations)


def _followed(record, path):
    """The row `record` select_related at `path`, or None (a reverse one-to-one without one
    raises instead of giving None)."""
    try:
        return getattr(record, path)
    except ObjectDoesNotExist:
        return None


def load_relations(records, relations):
    """Fill each of `records`' prefetch caches for every relation in `relations` (Relation
    objects), in one query."""
    if not records or not relations:
        return
    owner_model, db = type(records[0]), records[0]._state.db
    by_id = {record.pk: record for record in records}
    sql, params = _compiled(owner_model, tuple(relations), len(by_id), db)
    params = with_real_values(params, list(by_id))
    found = {(relation.name, pk): [] for relation in relations for pk in by_id}
    connection = connections[db]  # a thread-local lookup: once, not once a row
    vendor = connection.vendor
    with connection.cursor() as cursor:
        execute(cursor, f"relations_{owner_model._meta.model_name}_{len(by_id)}", sql, params)
        columns = [column[0] for column in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            place, data = row["relation_place"], row["relation_data"]
            found[row["relation_name"], row["relation_owner"]].append((place, data))
    for relation in relations:
        target = owner_model._meta.get_field(relation.name).related_model
        # One queryset of the related model for all the records, each record's a copy narrowed
        # to it, as Django's prefetch does with a Prefetch's queryset: asking each record's
        # manager for a new one had modeltranslation build a new queryset class every time
        # (42 classes for a list page, ~7% of its Python).
        unfiltered = target._default_manager.get_queryset()
        for pk, record in by_id.items():
            instances = []
            for _position, data in sorted(found[relation.name, pk], key=lambda item: item[0]):
                data = json.loads(data) if isinstance(data, str) else data
                if relation.select_related:
                    instance = _from_json(target, data["own"], db, vendor)
                    for name in relation.select_related:
                        followed = target._meta.get_field(name).related_model
                        row = data[name]  # every value null for a null foreign key (a LEFT JOIN)
                        absent = row[followed._meta.pk.attname] is None
                        setattr(instance, name, None if absent else _from_json(followed, row, db, vendor))
                else:
                    instance = _from_json(target, data, db, vendor)
                instances.append(instance)
            _fill_prefetch_cache(record, relation.name, instances, unfiltered)


def _fill_prefetch_cache(record, name, instances, unfiltered):
    """Leave what `prefetch_related(Prefetch(name, queryset=unfiltered))` leaves behind
    (django.db.models.query's prefetch_one_level): `unfiltered` narrowed by the related
    manager to the record, already evaluated, in the record's prefetch cache; for a reverse
    foreign key, each row's link back to the record too."""
    manager = getattr(record, name)
    descriptor = type(record)._meta.get_field(name)
    if isinstance(descriptor, ManyToManyField) or descriptor.many_to_many:
        cache_name = manager.prefetch_cache_name
    else:
        cache_name = descriptor.field.remote_field.cache_name
        for instance in instances:
            descriptor.field.set_cached_value(instance, record)
    queryset = manager._apply_rel_filters(unfiltered._chain())
    queryset._result_cache, queryset._prefetch_done = instances, True
    if not hasattr(record, "_prefetched_objects_cache"):
        record._prefetched_objects_cache = {}
    record._prefetched_objects_cache[cache_name] = queryset
