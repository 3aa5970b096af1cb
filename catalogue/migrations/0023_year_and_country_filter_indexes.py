"""Indexes for the start-year and country filters (issue 9).

At 100,000 initiatives `?sector=…&country=KE&year_min=2014&year_max=2019` read the whole
initiatives table three times (the results' id set and the id sets of the sector and country
facets, which leave out their own filter), 60-80 ms each: a year range and a substring of the
country codes have no index. The year has a partial index on both databases; on PostgreSQL the
country filter reads migration 0022's facet keys through a GIN index
(`InitiativeFilterSet.filter_country`).
"""

from django.db import migrations, models


def create_keys_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Without GIN's pending list, which every search would scan: the triggers' small
        # writes go straight into the index (as migration 0012's tags index).
        schema_editor.execute(
            "CREATE INDEX initiative_facet_keys_gin ON catalogue_initiative_facet_keys "
            "USING gin (keys) WITH (fastupdate = off)"
        )


def drop_keys_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX initiative_facet_keys_gin")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0022_facet_keys")]

    operations = [
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["start_year"],
                name="initiative_year_published",
            ),
        ),
        migrations.RunPython(create_keys_index, drop_keys_index),
    ]
