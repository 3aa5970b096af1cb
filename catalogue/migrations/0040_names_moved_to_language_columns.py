"""The hand-made Chinese names and titles move into the language columns 0039 added (see there),
every value kept both ways. Their origins move into `text_origins` as {"zh-hans": origin}; a
source's or publication's Chinese title, which had no origin column, was only ever the
document's own ("Only the source's own Chinese title"), so it is "source"."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf

# (model, field, the column of its Chinese text's origin, or None: always the source's)
RECORDS = [
    ("Source", "title", None),
    ("Publication", "title", None),
    ("Requirement", "title", "title_zh_origin"),
    ("Sector", "name", "name_zh_origin"),
    ("Technology", "name", "name_zh_origin"),
    ("BeneficiaryGroup", "name", "name_zh_origin"),
    ("Task", "name", "name_zh_origin"),
    ("Organisation", "name", "name_zh_origin"),
]


def each_table(apps):
    for name, field, origin in RECORDS:
        for model_name in (name, f"Historical{name}"):
            yield apps.get_model("catalogue", model_name), field, origin


def copy_names_to_language_columns(apps, schema_editor):
    # Set-wise, a few statements per table however many rows. No Chinese is NULL, not "": the
    # vocabularies' names are unique in each language.
    for model, field, origin in each_table(apps):
        model.objects.update(
            **{f"{field}_en": F(field), f"{field}_zh_hans": NullIf(F(f"{field}_zh"), Value(""))}
        )
        if origin is None:
            model.objects.exclude(**{f"{field}_zh": ""}).update(text_origins={"zh-hans": "source"})
            continue
        origins = model.objects.exclude(**{origin: ""}).values_list(origin, flat=True).distinct()
        for value in set(origins):
            model.objects.filter(**{origin: value}).update(text_origins={"zh-hans": value})


def copy_names_back(apps, schema_editor):
    for model, field, origin in each_table(apps):
        model.objects.update(**{f"{field}_zh": Coalesce(f"{field}_zh_hans", Value(""))})
        if origin is None:
            continue
        for row in model.objects.exclude(text_origins={}).only("text_origins").iterator(chunk_size=2000):
            setattr(row, origin, (row.text_origins or {}).get("zh-hans", ""))
            row.save(update_fields=[origin])


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0039_names_in_every_language")]

    operations = [migrations.RunPython(copy_names_to_language_columns, copy_names_back, elidable=False)]
