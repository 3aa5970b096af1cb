"""Each initiative's start year among its facet keys, on PostgreSQL only (issue 9).

A list filtered by vocabularies and a range of start years (`?sector=…&country=…&year_min=…
&year_max=…`) found the initiatives of the sector and country in the facet keys' GIN index,
then read each one's row to compare its start year: at 100,000 initiatives, 16,671 row lookups
for one sector, in each id set of the page's facets. Kind 13 holds the start year (`year * 16 +
13`), so that the whole filter is one search of the GIN index, intersecting each filter's keys
(catalogue/filters.py). The initiative's trigger already refreshes its keys when its start year
changes (migration 0024); the keys table's trigger keeps the totals (the new keys are counted
there too, and no facet reads them).
"""

import importlib

from django.db import migrations


def _previous():
    return importlib.import_module("catalogue.migrations.0033_tool_profiles")


def keys_of_one():
    return (
        _previous()._keys_of_one()
        + "    UNION SELECT i.start_year * 16 + 13 WHERE i.start_year IS NOT NULL\n"
    )


# The rows already there gain their year key in one statement (rather than rebuilding every
# row's keys from its relations: minutes at 1,000,000 initiatives).
ADD_START_YEARS = """
    UPDATE catalogue_initiative_facet_keys AS x
    SET keys = ARRAY(SELECT k FROM unnest(x.keys || (i.start_year * 16 + 13)::bigint) AS k ORDER BY k)
    FROM catalogue_initiative AS i
    WHERE i.id = x.initiative_id AND i.start_year IS NOT NULL
"""
REMOVE_START_YEARS = """
    UPDATE catalogue_initiative_facet_keys AS x
    SET keys = ARRAY(SELECT k FROM unnest(x.keys) AS k WHERE k & 15 <> 13 ORDER BY k)
    WHERE EXISTS (SELECT 1 FROM unnest(x.keys) AS k WHERE k & 15 = 13)
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_previous()._refresh(keys_of_one()))
        schema_editor.execute(ADD_START_YEARS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_previous()._refresh(_previous()._keys_of_one()))
        schema_editor.execute(REMOVE_START_YEARS)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0042_search_query_function")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
