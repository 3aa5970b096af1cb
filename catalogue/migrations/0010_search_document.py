"""A stored search vector and trigram indexes, on PostgreSQL only.

`search_document` is a generated column: PostgreSQL recomputes it whenever a row's title,
summary or description changes, so search neither builds a vector per row at query time nor
depends on every write path (admin, API, bulk loads) remembering to refresh it. It is not a
model field: SQLite cannot compute it and searches by substring instead, and a field would
be loaded with every initiative and copied into every history row for nothing. Only
catalogue/search.py reads it (`StoredSearchVector`), and STORED_SEARCH_DOCUMENT there must stay
the expression below.

The expression index of migration 0002 on the same text is dropped: nothing queries that
expression any more. The trigram indexes serve Chinese substring search (`LIKE '%…%'`, which
full-text parsers cannot segment) and the title similarity of possible duplicates.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from catalogue.search import initiative_search_vector

FORWARDS = [
    """
    ALTER TABLE catalogue_initiative ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX initiative_search_document_gin ON catalogue_initiative USING gin (search_document)",
    "DROP INDEX IF EXISTS initiative_search_gin",
    "CREATE INDEX initiative_title_trgm ON catalogue_initiative USING gin (title gin_trgm_ops)",
    "CREATE INDEX initiative_title_zh_trgm ON catalogue_initiative USING gin (title_zh gin_trgm_ops)",
    "CREATE INDEX initiative_summary_zh_trgm ON catalogue_initiative USING gin (summary_zh gin_trgm_ops)",
]

BACKWARDS = [
    "DROP INDEX initiative_summary_zh_trgm",
    "DROP INDEX initiative_title_zh_trgm",
    "DROP INDEX initiative_title_trgm",
    "ALTER TABLE catalogue_initiative DROP COLUMN search_document",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARDS:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARDS:
        schema_editor.execute(statement)
    # Migration 0002's index, built as it built it.
    schema_editor.add_index(
        apps.get_model("catalogue", "Initiative"),
        GinIndex(initiative_search_vector(), name="initiative_search_gin"),
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0009_reserved_initiative_slugs")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
