"""Each initiative's facet values as one array, on PostgreSQL only, so that a list's facets are
counted in one pass over the matching initiatives (catalogue/facets.py) rather than one join of
a whole relation per facet.

At 100,000 initiatives the unfiltered list counted nine facets with a hash join per relation
(sectors, technologies, requirements, beneficiaries, sources, organisations: 100,000-200,000
rows each) and split every initiative's country codes as text: about a second of database time
idle. `catalogue_initiative_facet_keys` holds, per initiative, the distinct keys
`value * 16 + kind` (catalogue/facets.py, KEY_KINDS): kind 1 a sector id, 2 a technology id,
3 a requirement id, 4 a beneficiary group id, 5 a cited source id, 6 a lead or partner
organisation id, 8 a country code (its two letters' codes, `ascii(first) * 256 + ascii(second)`).

It is kept as migration 0012 keeps the related-initiative tags: statement-level triggers on
every table a key comes from rebuild the rows of the initiatives a statement touched, so no
write path has to remember it; updates of an initiative refresh it only when its lead
organisation or countries changed (the data version's `updated_at` stamps do not). SQLite has
no arrays and counts each facet as before.
"""

from django.db import migrations

KEYS_OF_ONE = """
    SELECT sector_id * 16 + 1 FROM catalogue_initiative_sectors WHERE initiative_id = i.id
    UNION SELECT technology_id * 16 + 2 FROM catalogue_initiative_technologies WHERE initiative_id = i.id
    UNION SELECT requirement_id * 16 + 3 FROM catalogue_requirementalignment WHERE initiative_id = i.id
    UNION SELECT beneficiarygroup_id * 16 + 4 FROM catalogue_initiative_beneficiary_groups
        WHERE initiative_id = i.id
    UNION SELECT source_id * 16 + 5 FROM catalogue_citation WHERE initiative_id = i.id
    UNION SELECT organisation_id * 16 + 6 FROM catalogue_initiative_partners WHERE initiative_id = i.id
    UNION SELECT i.lead_organisation_id * 16 + 6 WHERE i.lead_organisation_id IS NOT NULL
    UNION SELECT (ascii(code) * 256 + ascii(substr(code, 2, 1))) * 16 + 8
        FROM unnest(string_to_array(i.countries, ',')) AS code WHERE length(code) = 2
"""

# The tables a key comes from besides the initiative's own row; each has `initiative_id`.
SOURCES = [
    "catalogue_initiative_sectors",
    "catalogue_initiative_technologies",
    "catalogue_requirementalignment",
    "catalogue_initiative_beneficiary_groups",
    "catalogue_citation",
    "catalogue_initiative_partners",
]

FORWARDS = [
    """
    CREATE TABLE catalogue_initiative_facet_keys (
        initiative_id bigint PRIMARY KEY,
        keys bigint[] NOT NULL
    )
    """,
    # Upsert, not delete-and-insert: two transactions refreshing one initiative wait for each
    # other instead of one failing on the primary key.
    f"""
    CREATE FUNCTION catalogue_refresh_facet_keys(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO catalogue_initiative_facet_keys (initiative_id, keys)
        SELECT i.id, ARRAY(SELECT k FROM ({KEYS_OF_ONE}) AS keyed(k) ORDER BY k)
        FROM catalogue_initiative AS i WHERE i.id = ANY(ids)
        ON CONFLICT (initiative_id) DO UPDATE SET keys = EXCLUDED.keys;
        DELETE FROM catalogue_initiative_facet_keys AS x
        WHERE x.initiative_id = ANY(ids)
          AND NOT EXISTS (SELECT 1 FROM catalogue_initiative WHERE id = x.initiative_id);
    $$
    """,
    # `changed` (and `changed_before` on UPDATE) are the triggers' transition tables.
    """
    CREATE FUNCTION catalogue_facet_keys_trigger() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM catalogue_initiative_facet_keys;
            PERFORM catalogue_refresh_facet_keys(ARRAY(SELECT id FROM catalogue_initiative));
        ELSIF TG_OP = 'UPDATE' THEN
            PERFORM catalogue_refresh_facet_keys(ARRAY(
                SELECT initiative_id FROM changed UNION SELECT initiative_id FROM changed_before
            ));
        ELSE
            PERFORM catalogue_refresh_facet_keys(ARRAY(SELECT DISTINCT initiative_id FROM changed));
        END IF;
        RETURN NULL;
    END
    $$
    """,
    # The initiative's own row: its lead organisation and countries.
    """
    CREATE FUNCTION catalogue_facet_keys_initiative_trigger() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM catalogue_initiative_facet_keys;
        ELSIF TG_OP = 'UPDATE' THEN
            PERFORM catalogue_refresh_facet_keys(ARRAY(
                SELECT n.id FROM changed AS n JOIN changed_before AS o ON o.id = n.id
                WHERE n.lead_organisation_id IS DISTINCT FROM o.lead_organisation_id
                   OR n.countries IS DISTINCT FROM o.countries
            ));
        ELSE
            PERFORM catalogue_refresh_facet_keys(ARRAY(SELECT id FROM changed));
        END IF;
        RETURN NULL;
    END
    $$
    """,
    *(
        statement
        for table in SOURCES
        for statement in [
            f"""CREATE TRIGGER {table}_facet_keys_insert AFTER INSERT ON {table}
                REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_keys_trigger()""",
            f"""CREATE TRIGGER {table}_facet_keys_update AFTER UPDATE ON {table}
                REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_keys_trigger()""",
            f"""CREATE TRIGGER {table}_facet_keys_delete AFTER DELETE ON {table}
                REFERENCING OLD TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_keys_trigger()""",
            f"""CREATE TRIGGER {table}_facet_keys_truncate AFTER TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_keys_trigger()""",
        ]
    ),
    """CREATE TRIGGER catalogue_initiative_facet_keys_insert AFTER INSERT ON catalogue_initiative
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_keys_initiative_trigger()""",
    """CREATE TRIGGER catalogue_initiative_facet_keys_update AFTER UPDATE ON catalogue_initiative
        REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_keys_initiative_trigger()""",
    """CREATE TRIGGER catalogue_initiative_facet_keys_delete AFTER DELETE ON catalogue_initiative
        REFERENCING OLD TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_keys_initiative_trigger()""",
    """CREATE TRIGGER catalogue_initiative_facet_keys_truncate AFTER TRUNCATE ON catalogue_initiative
        FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_keys_initiative_trigger()""",
    "SELECT catalogue_refresh_facet_keys(ARRAY(SELECT id FROM catalogue_initiative))",
    "ANALYZE catalogue_initiative_facet_keys",
]

BACKWARDS = [
    *(
        f"DROP TRIGGER {table}_facet_keys_{event} ON {table}"
        for table in [*SOURCES, "catalogue_initiative"]
        for event in ["insert", "update", "delete", "truncate"]
    ),
    "DROP FUNCTION catalogue_facet_keys_initiative_trigger()",
    "DROP FUNCTION catalogue_facet_keys_trigger()",
    "DROP FUNCTION catalogue_refresh_facet_keys(bigint[])",
    "DROP TABLE catalogue_initiative_facet_keys",
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
    dependencies = [("catalogue", "0021_alignment_maker_and_editorial_note")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
