"""The stored search vector kept in the initiative's own row, on PostgreSQL only (issue 9).

A search ranks every match by `ts_rank(search_document, query)` to show the best first. With
the default storage (EXTENDED), a row wider than ~2 KB (titles and summaries in six languages,
a description, the vector) has its largest values moved out to the TOAST table, and the vector
was usually among them: ranking 783 matches at 10,000 initiatives read 2,518 buffers in 6.5 ms,
nearly four TOAST lookups a match. STORAGE MAIN keeps the vector in the row (compressed if need
be) and moves the summaries and the description out first: 683 buffers in 1.3 ms for the same
search; the table's heap grows ~19% (16 → 19 MB at 10,000), its TOAST shrinks (6.9 → 4.9 MB).

Only rows written from now on are stored this way. Rows already there move when they are
rewritten: `VACUUM FULL catalogue_initiative` (an exclusive lock while it runs: ~1 s at 10,000
initiatives) does it at once; the README's operators' notes say so.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE catalogue_initiative ALTER COLUMN search_document SET STORAGE MAIN")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE catalogue_initiative ALTER COLUMN search_document SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0037_content_old_columns_removed")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
