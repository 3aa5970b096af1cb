"""Each initiative's sectors, technologies and requirements as one GIN-indexed array, on
PostgreSQL only, so that the case page's related initiatives are found from the index
(`InitiativeQuerySet.related`) instead of by counting every shared row in the catalogue.

`catalogue_initiative_related_tags` holds, per initiative, the tags `id * 4 + kind` (kind 1 a
sector, 2 a technology, 3 a requirement; catalogue/related.py builds the same). Triggers on the
three tables the tags come from rebuild the rows of the initiatives a statement touched, so no
write path (admin, forms, API, bulk loads, fixtures) has to remember it. It is a table of its
own rather than a column of catalogue_initiative: refreshing it rewrites no initiative row (and
its generated search vector), and, like `search_document`, it is not a model field, since
SQLite has neither arrays nor GIN and ranks related initiatives by counting instead.

Statement-level triggers with transition tables: a bulk insert of thousands of rows refreshes
each initiative once, not once per row. TRUNCATE (which fires no row triggers; test set-ups use
it) rebuilds the whole table.
"""

from django.db import migrations

TAGS_OF = """
    SELECT initiative_id, sector_id * 4 + 1 AS tag FROM catalogue_initiative_sectors
    WHERE initiative_id = ANY(ids)
    UNION ALL
    SELECT initiative_id, technology_id * 4 + 2 FROM catalogue_initiative_technologies
    WHERE initiative_id = ANY(ids)
    UNION ALL
    SELECT initiative_id, requirement_id * 4 + 3 FROM catalogue_requirementalignment
    WHERE initiative_id = ANY(ids)
"""

SOURCES = ["catalogue_initiative_sectors", "catalogue_initiative_technologies", "catalogue_requirementalignment"]

FORWARDS = [
    """
    CREATE TABLE catalogue_initiative_related_tags (
        initiative_id bigint PRIMARY KEY,
        tags bigint[] NOT NULL
    )
    """,
    # Upsert, not delete-and-insert: two transactions refreshing one initiative then wait for
    # each other instead of one failing on the primary key.
    f"""
    CREATE FUNCTION catalogue_refresh_related_tags(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO catalogue_initiative_related_tags (initiative_id, tags)
        SELECT initiative_id, array_agg(DISTINCT tag ORDER BY tag) FROM ({TAGS_OF}) AS tagged
        GROUP BY initiative_id
        ON CONFLICT (initiative_id) DO UPDATE SET tags = EXCLUDED.tags;
        DELETE FROM catalogue_initiative_related_tags AS r
        WHERE r.initiative_id = ANY(ids)
          AND NOT EXISTS (SELECT 1 FROM catalogue_initiative_sectors WHERE initiative_id = r.initiative_id)
          AND NOT EXISTS (SELECT 1 FROM catalogue_initiative_technologies WHERE initiative_id = r.initiative_id)
          AND NOT EXISTS (SELECT 1 FROM catalogue_requirementalignment WHERE initiative_id = r.initiative_id);
    $$
    """,
    # `changed` (and `changed_before` on UPDATE) are the triggers' transition tables.
    """
    CREATE FUNCTION catalogue_related_tags_trigger() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM catalogue_initiative_related_tags;
            PERFORM catalogue_refresh_related_tags(ARRAY(SELECT id FROM catalogue_initiative));
        ELSIF TG_OP = 'UPDATE' THEN
            PERFORM catalogue_refresh_related_tags(ARRAY(
                SELECT initiative_id FROM changed UNION SELECT initiative_id FROM changed_before
            ));
        ELSE
            PERFORM catalogue_refresh_related_tags(ARRAY(SELECT DISTINCT initiative_id FROM changed));
        END IF;
        RETURN NULL;
    END
    $$
    """,
    *(
        statement
        for table in SOURCES
        for statement in [
            f"""CREATE TRIGGER {table}_tags_insert AFTER INSERT ON {table}
                REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION catalogue_related_tags_trigger()""",
            f"""CREATE TRIGGER {table}_tags_update AFTER UPDATE ON {table}
                REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION catalogue_related_tags_trigger()""",
            f"""CREATE TRIGGER {table}_tags_delete AFTER DELETE ON {table}
                REFERENCING OLD TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION catalogue_related_tags_trigger()""",
            f"""CREATE TRIGGER {table}_tags_truncate AFTER TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION catalogue_related_tags_trigger()""",
        ]
    ),
    "SELECT catalogue_refresh_related_tags(ARRAY(SELECT id FROM catalogue_initiative))",
    # Built after the rows, and without GIN's pending list of recent insertions, which every
    # search scans in full: the triggers' small writes go straight into the index.
    """
    CREATE INDEX initiative_related_tags_gin ON catalogue_initiative_related_tags
    USING gin (tags) WITH (fastupdate = off)
    """,
    "ANALYZE catalogue_initiative_related_tags",
]

BACKWARDS = [
    *(
        f"DROP TRIGGER {table}_tags_{event} ON {table}"
        for table in SOURCES
        for event in ["insert", "update", "delete", "truncate"]
    ),
    "DROP FUNCTION catalogue_related_tags_trigger()",
    "DROP FUNCTION catalogue_refresh_related_tags(bigint[])",
    "DROP TABLE catalogue_initiative_related_tags",
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


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0011_facet_covering_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
