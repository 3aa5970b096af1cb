"""The unfiltered list's facets and count from totals kept by triggers, on PostgreSQL only.

Migration 0022's facet keys made a filtered list's facets one pass over the matching
initiatives; the unfiltered list (the catalogue's front door, and what every tool polls) still
made that pass over every published initiative: at 100,000 about 600 ms of database time,
growing with the catalogue. `catalogue_facet_key_totals` holds, per key, how many published
initiatives have it, so that list reads a few hundred rows instead (catalogue/facets.py).

- Each keys row gains `published`, and the keys gain two kinds: 7, the kind of the lead
  organisation (its place in LEAD_ORGANISATION_KINDS, counted from 1) and 9, children focus
  (1 yes, 2 no), and key 10 for an initiative without a start year (the year filter says how
  many). An organisation whose kind changes refreshes the keys of the initiatives it leads.
- A statement-level trigger on the keys table adds the new rows' keys of published initiatives
  and subtracts the old rows', plus key 0 for the count of published initiatives. A
  statement's delta that is not empty holds key 0 and is applied in key order, so concurrent
  writers of published initiatives queue on key 0 instead of deadlocking over the others.
- The initiative's trigger also refreshes its keys when its status or children focus changes.
"""

from django.db import migrations

# Organisation.Kind's values as this migration was written; a test checks they still agree.
LEAD_ORGANISATION_KINDS = ["company", "foundation", "un_agency", "government", "research", "ngo", "other"]
KINDS_ARRAY = "ARRAY[" + ", ".join(f"'{kind}'" for kind in LEAD_ORGANISATION_KINDS) + "]"

KEYS_OF_ONE = f"""
    SELECT sector_id * 16 + 1 FROM catalogue_initiative_sectors WHERE initiative_id = i.id
    UNION SELECT technology_id * 16 + 2 FROM catalogue_initiative_technologies WHERE initiative_id = i.id
    UNION SELECT requirement_id * 16 + 3 FROM catalogue_requirementalignment WHERE initiative_id = i.id
    UNION SELECT beneficiarygroup_id * 16 + 4 FROM catalogue_initiative_beneficiary_groups
        WHERE initiative_id = i.id
    UNION SELECT source_id * 16 + 5 FROM catalogue_citation WHERE initiative_id = i.id
    UNION SELECT organisation_id * 16 + 6 FROM catalogue_initiative_partners WHERE initiative_id = i.id
    UNION SELECT i.lead_organisation_id * 16 + 6 WHERE i.lead_organisation_id IS NOT NULL
    UNION SELECT array_position({KINDS_ARRAY}, o.kind::text) * 16 + 7
        FROM catalogue_organisation AS o WHERE o.id = i.lead_organisation_id
    UNION SELECT (ascii(code) * 256 + ascii(substr(code, 2, 1))) * 16 + 8
        FROM unnest(string_to_array(i.countries, ',')) AS code WHERE length(code) = 2
    UNION SELECT CASE WHEN i.children_focus THEN 1 ELSE 2 END * 16 + 9
    UNION SELECT 10 WHERE i.start_year IS NULL
"""

REFRESH = f"""
    CREATE OR REPLACE FUNCTION catalogue_refresh_facet_keys(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO catalogue_initiative_facet_keys (initiative_id, keys, published)
        SELECT i.id, ARRAY(SELECT k FROM ({KEYS_OF_ONE}) AS keyed(k) ORDER BY k),
               i.status = 'published'
        FROM catalogue_initiative AS i WHERE i.id = ANY(ids)
        ON CONFLICT (initiative_id) DO UPDATE SET keys = EXCLUDED.keys, published = EXCLUDED.published;
        DELETE FROM catalogue_initiative_facet_keys AS x
        WHERE x.initiative_id = ANY(ids)
          AND NOT EXISTS (SELECT 1 FROM catalogue_initiative WHERE id = x.initiative_id);
    $$
"""

# An organisation's kind is part of the keys of the initiatives it leads.
ORGANISATION_TRIGGER = """
    CREATE FUNCTION catalogue_facet_keys_organisation_trigger() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM catalogue_refresh_facet_keys(ARRAY(
            SELECT i.id FROM catalogue_initiative AS i
            JOIN changed AS n ON n.id = i.lead_organisation_id
            JOIN changed_before AS o ON o.id = n.id
            WHERE n.kind IS DISTINCT FROM o.kind
        ));
        RETURN NULL;
    END
    $$
"""

INITIATIVE_TRIGGER = """
    CREATE OR REPLACE FUNCTION catalogue_facet_keys_initiative_trigger() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM catalogue_initiative_facet_keys;
        ELSIF TG_OP = 'UPDATE' THEN
            PERFORM catalogue_refresh_facet_keys(ARRAY(
                SELECT n.id FROM changed AS n JOIN changed_before AS o ON o.id = n.id
                WHERE n.lead_organisation_id IS DISTINCT FROM o.lead_organisation_id
                   OR n.countries IS DISTINCT FROM o.countries
                   OR n.status IS DISTINCT FROM o.status
                   OR n.children_focus IS DISTINCT FROM o.children_focus
                   OR n.start_year IS DISTINCT FROM o.start_year
            ));
        ELSE
            PERFORM catalogue_refresh_facet_keys(ARRAY(SELECT id FROM changed));
        END IF;
        RETURN NULL;
    END
    $$
"""


def _apply(delta):
    """Add `delta`, a query of (key, change) rows, to the totals, in key order: a delta that
    is not empty holds key 0 (every published row brings it), which is locked first."""
    return f"""
        INSERT INTO catalogue_facet_key_totals AS t (key, published)
        SELECT key, SUM(change) FROM ({delta}) AS d (key, change)
        GROUP BY key ORDER BY key
        ON CONFLICT (key) DO UPDATE SET published = t.published + EXCLUDED.published
    """


def _keys_of(table, sign):
    return f"SELECT unnest(keys || 0::bigint), {sign} FROM {table} WHERE published"


FORWARDS = [
    "ALTER TABLE catalogue_initiative_facet_keys ADD COLUMN published boolean NOT NULL DEFAULT false",
    REFRESH,
    INITIATIVE_TRIGGER,
    ORGANISATION_TRIGGER,
    """CREATE TRIGGER catalogue_organisation_facet_keys_update AFTER UPDATE ON catalogue_organisation
        REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_keys_organisation_trigger()""",
    "CREATE TABLE catalogue_facet_key_totals (key bigint PRIMARY KEY, published bigint NOT NULL)",
    # Each facet reads its own kind's totals, largest first: the organisations' best are the
    # first entries of the index, not a sort of them all.
    "CREATE INDEX facet_key_totals_kind ON catalogue_facet_key_totals ((key & 15), published DESC)",
    # `changed` (and `changed_before` on UPDATE) are the triggers' transition tables.
    f"""
    CREATE FUNCTION catalogue_facet_key_totals_trigger() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_apply(_keys_of("changed", 1))};
        ELSIF TG_OP = 'UPDATE' THEN
            {_apply(_keys_of("changed", 1) + " UNION ALL " + _keys_of("changed_before", -1))};
        ELSIF TG_OP = 'DELETE' THEN
            {_apply(_keys_of("changed", -1))};
        ELSE
            DELETE FROM catalogue_facet_key_totals;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """CREATE TRIGGER catalogue_facet_key_totals_insert AFTER INSERT ON catalogue_initiative_facet_keys
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_key_totals_trigger()""",
    """CREATE TRIGGER catalogue_facet_key_totals_update AFTER UPDATE ON catalogue_initiative_facet_keys
        REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_key_totals_trigger()""",
    """CREATE TRIGGER catalogue_facet_key_totals_delete AFTER DELETE ON catalogue_initiative_facet_keys
        REFERENCING OLD TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_key_totals_trigger()""",
    """CREATE TRIGGER catalogue_facet_key_totals_truncate AFTER TRUNCATE ON catalogue_initiative_facet_keys
        FOR EACH STATEMENT EXECUTE FUNCTION catalogue_facet_key_totals_trigger()""",
    # Every row rewritten with its new keys and status: the update trigger fills the totals.
    "SELECT catalogue_refresh_facet_keys(ARRAY(SELECT id FROM catalogue_initiative))",
    "ANALYZE catalogue_initiative_facet_keys",
    "ANALYZE catalogue_facet_key_totals",
]

BACKWARDS = [
    *(
        f"DROP TRIGGER catalogue_facet_key_totals_{event} ON catalogue_initiative_facet_keys"
        for event in ["insert", "update", "delete", "truncate"]
    ),
    "DROP FUNCTION catalogue_facet_key_totals_trigger()",
    "DROP TABLE catalogue_facet_key_totals",
    "DROP TRIGGER catalogue_organisation_facet_keys_update ON catalogue_organisation",
    "DROP FUNCTION catalogue_facet_keys_organisation_trigger()",
    "ALTER TABLE catalogue_initiative_facet_keys DROP COLUMN published",
    # 0022's functions and keys, as they were.
    "PREVIOUS_FUNCTIONS",
    "SELECT catalogue_refresh_facet_keys(ARRAY(SELECT id FROM catalogue_initiative))",
]


def _previous_functions():
    """Migration 0022's refresh and initiative trigger functions (CREATE OR REPLACE)."""
    import importlib

    previous = importlib.import_module("catalogue.migrations.0022_facet_keys")
    wanted = (
        "CREATE FUNCTION catalogue_refresh_facet_keys",
        "CREATE FUNCTION catalogue_facet_keys_initiative_trigger",
    )
    return [
        statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
        for statement in previous.FORWARDS
        if statement.strip().startswith(wanted)
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
        for one in _previous_functions() if statement == "PREVIOUS_FUNCTIONS" else [statement]:
            schema_editor.execute(one)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0023_year_and_country_filter_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
