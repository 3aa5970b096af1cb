"""The facet keys' and related tags' refresh functions join the ids they are given, rather
than test each row against them with `= ANY(ids)`, on PostgreSQL only (issue 9).

A SQL function's array parameter is not a constant to PostgreSQL, so `= ANY(ids)` is never
hashed: a sequential scan compares every row with the whole array. The triggers pass a few
ids and the planner reads them through the indexes, but a bulk load (generate_synthetic's one
refresh at the end, a TRUNCATE's rebuild) passes every initiative, to tables whose statistics
still describe them before the load: at 1,000,000 initiatives the planner scanned each table
and compared each of its rows with a million ids, still running after 9 minutes. Joined to
`unnest(ids)`, the ids are hashed once (or each looked up through the index): no plan is
quadratic.
"""

import importlib

from django.db import migrations


def _migration(name):
    return importlib.import_module(f"catalogue.migrations.{name}")


def joined(sql):
    """`sql` with each test against the parameter `ids` made a join with its elements."""
    return sql.replace("= ANY(ids)", "IN (SELECT unnest(ids))")


def related_tags_refresh():
    """Migration 0012's function (its second statement; no later migration changed it)."""
    created = _migration("0012_related_tags").FORWARDS[1]
    return created.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def statements(transform):
    """Both functions as the latest migrations defined them (0043, 0012), through `transform`."""
    keys_of_one = _migration("0043_facet_keys_start_years").keys_of_one()
    facet_keys = _migration("0033_tool_profiles")._refresh(keys_of_one)
    return [transform(facet_keys), transform(related_tags_refresh())]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements(joined):
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements(lambda sql: sql):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0044_submission_fields_in_every_language")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
