"""The hand-made Chinese columns go (0035 moved their values), and on PostgreSQL the stored
search vector (migration 0010) is rebuilt to hold every language's title and summary, each with
its language's text search configuration ("simple" for Chinese, which PostgreSQL cannot
segment: the trigram indexes, moved to the new Chinese columns, serve it), and each language's
title order gets an index with its ICU collation (InitiativeQuerySet.in_title_order)."""

from django.db import migrations

# Each language's text search configuration; Chinese is matched by trigrams too (search.py).
SEARCH_CONFIGS = {"en": "english", "zh_hans": "simple", "ar": "arabic", "fr": "french", "ru": "russian", "es": "spanish"}
# Each language's ICU collation, for the title order.
COLLATIONS = {"zh_hans": "zh-x-icu", "ar": "ar-x-icu", "fr": "fr-x-icu", "ru": "ru-x-icu", "es": "es-x-icu"}


def search_document(columns):
    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, coalesce({column}, '')), '{weight}')"
        for column, config, weight in columns
    )


ENGLISH_AND_CHINESE = [("title", "english", "A"), ("summary", "english", "B"), ("description", "english", "C")]
EVERY_LANGUAGE = ENGLISH_AND_CHINESE + [
    (f"{field}_{language}", config, weight)
    for language, config in SEARCH_CONFIGS.items()
    if language != "en"
    for field, weight in (("title", "A"), ("summary", "B"))
]


def _rebuild_search_document(schema_editor, columns):
    schema_editor.execute("ALTER TABLE catalogue_initiative DROP COLUMN IF EXISTS search_document")
    schema_editor.execute(
        "ALTER TABLE catalogue_initiative ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({search_document(columns)}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX initiative_search_document_gin ON catalogue_initiative USING gin (search_document)"
    )


def search_every_language(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _rebuild_search_document(schema_editor, EVERY_LANGUAGE)
    for field in ("title", "summary"):
        schema_editor.execute(
            f"CREATE INDEX initiative_{field}_zh_hans_trgm ON catalogue_initiative "
            f"USING gin ({field}_zh_hans gin_trgm_ops)"
        )
    for language, collation in COLLATIONS.items():
        schema_editor.execute(
            f"CREATE INDEX initiative_title_order_{language} ON catalogue_initiative "
            f"((COALESCE(NULLIF(title_{language}, ''), title) COLLATE \"{collation}\"), id) "
            "WHERE status = 'published'"
        )


def search_english_and_chinese(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language in COLLATIONS:
        schema_editor.execute(f"DROP INDEX IF EXISTS initiative_title_order_{language}")
    for field in ("title", "summary"):
        schema_editor.execute(f"DROP INDEX IF EXISTS initiative_{field}_zh_hans_trgm")
    _rebuild_search_document(schema_editor, ENGLISH_AND_CHINESE)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0036_content_moved_to_language_columns")]

    operations = [
        migrations.RemoveField(
            model_name='historicalinitiative',
            name='chinese_text_origin',
        ),
        migrations.RemoveField(
            model_name='historicalinitiative',
            name='summary_zh',
        ),
        migrations.RemoveField(
            model_name='historicalinitiative',
            name='title_zh',
        ),
        migrations.RemoveField(
            model_name='initiative',
            name='chinese_text_origin',
        ),
        migrations.RemoveField(
            model_name='initiative',
            name='summary_zh',
        ),
        migrations.RemoveField(
            model_name='initiative',
            name='title_zh',
        ),
        migrations.RunPython(search_every_language, search_english_and_chinese, elidable=False),
    ]
