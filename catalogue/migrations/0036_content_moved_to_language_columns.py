"""The hand-made Chinese columns' values move into the language columns 0034 added (see there)."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Coalesce


def copy_text_to_language_columns(apps, schema_editor):
    # Set-wise, in a few statements however many rows (100,000 in the benchmark's catalogue).
    for name in ("Initiative", "HistoricalInitiative"):
        model = apps.get_model("catalogue", name)
        model.objects.update(
            title_en=F("title"), summary_en=F("summary"), title_zh_hans=F("title_zh"), summary_zh_hans=F("summary_zh")
        )
        origins = model.objects.exclude(chinese_text_origin="").values_list("chinese_text_origin", flat=True)
        for origin in set(origins.distinct()):
            model.objects.filter(chinese_text_origin=origin).update(text_origins={"zh-hans": origin})


def copy_text_back(apps, schema_editor):
    for name in ("Initiative", "HistoricalInitiative"):
        model = apps.get_model("catalogue", name)
        model.objects.update(title_zh=Coalesce("title_zh_hans", Value("")), summary_zh=Coalesce("summary_zh_hans", Value("")))
        for row in model.objects.exclude(text_origins={}).only("text_origins").iterator(chunk_size=2000):
            row.chinese_text_origin = (row.text_origins or {}).get("zh-hans", "")
            row.save(update_fields=["chinese_text_origin"])


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0035_content_in_every_language")]

    operations = [migrations.RunPython(copy_text_to_language_columns, copy_text_back, elidable=False)]
