from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    """The table of the database cache that holds the counters every worker shares (the API
    rate limit; CACHES["shared"] in settings). `migrate` creates it, so no deployment forgets
    to; with CACHE_URL=redis://… there is no database cache and nothing to create."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0016_api_tokens_hashed")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=True)]
