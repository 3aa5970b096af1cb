"""A search's query as one SQL function, on PostgreSQL only (issue 9).

A search is stemmed each way the stored vector holds (catalogue/search.py: English, French,
Spanish, Russian, Arabic) and the five queries ORed. Most words stem alike in several of them,
and PostgreSQL estimates an OR of the same word five times as matching nearly five times as
many rows ("Kigali" at 100,000 initiatives: 9,592 estimated, 2,507 found), so a search page's
facet counts merge-joined the whole facet keys table instead of looking up the matches' keys.
`catalogue_websearch_query(text, configs)` ORs each distinct stemming once: the same matches,
a right estimate. IMMUTABLE, as `websearch_to_tsquery(regconfig, text)` is, so that the planner
computes it once, as a constant, when the query is planned.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION catalogue_websearch_query(query text, configs regconfig[]) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    combined tsquery;
    stemmed tsquery;
    seen text[] := '{}';
    config regconfig;
BEGIN
    FOREACH config IN ARRAY configs LOOP
        stemmed := websearch_to_tsquery(config, query);
        IF NOT stemmed::text = ANY (seen) THEN
            seen := seen || stemmed::text;
            combined := CASE WHEN combined IS NULL THEN stemmed ELSE combined || stemmed END;
        END IF;
    END LOOP;
    RETURN combined;
END
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION catalogue_websearch_query(text, regconfig[])")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0041_names_old_columns_removed")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
