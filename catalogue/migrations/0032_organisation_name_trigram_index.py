"""A trigram index on organisations' names, on PostgreSQL only (issue 13).

A partner's organisation name that matches none is answered with the near names
(`OrganisationQuerySet.near`), also while the name is typed (/api/v1/organisations/near/):
pg_trgm's word-similarity operator `%>` reads this index instead of comparing the name with every
organisation's (at 10,000 organisations a scan took 30-100 ms).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX organisation_name_trgm ON catalogue_organisation USING gin (name gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX organisation_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0031_editors_desk")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
