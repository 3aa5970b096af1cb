"""GIN indexes for full-text search, on PostgreSQL only.

The indexes are expression indexes built from the same SearchVector expressions that
InitiativeQuerySet.search() queries (catalogue/models/initiatives.py), so PostgreSQL can use
them. They are not declared in the models' Meta, because SQLite cannot build them; on other
databases this migration does nothing.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from catalogue.search import (
    initiative_search_vector,
    key_figure_search_vector,
    organisation_search_vector,
)

INDEXES = [
    ("Initiative", "initiative_search_gin", initiative_search_vector),
    ("Organisation", "organisation_search_gin", organisation_search_vector),
    ("KeyFigure", "keyfigure_search_gin", key_figure_search_vector),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name, vector in INDEXES:
        schema_editor.add_index(apps.get_model("catalogue", model_name), GinIndex(vector(), name=name))


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name, vector in INDEXES:
        schema_editor.remove_index(apps.get_model("catalogue", model_name), GinIndex(vector(), name=name))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
