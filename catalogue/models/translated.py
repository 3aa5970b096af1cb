"""What every record whose text is kept in each interface language shares (issue 15).

django-modeltranslation (catalogue/translation.py) gives each of a model's `translated_fields`
one column per language (`name_en`, `name_zh_hans`, `name_fr`, …). The field's own column
(`name`) stays the English text, so indexes, orderings and every query naming it mean the same
in every language; the language a reader sees is the one rule of catalogue/languages.py.
"""

from django.db import models
from django.utils import translation

from ..languages import text_origin


class InEveryLanguageQuerySet(models.QuerySet):
    """A queryset of records kept in every language: `name` (or `title`) means the English
    column in filters, orders and values(), whatever the interface language."""

    def _post_init(self):
        # modeltranslation's hook (its queryset is mixed into this one): it would rewrite the
        # translated fields in filters, orders and values() to the interface language's
        # column. Here they stay the English columns, so a query means the same in every
        # language; a language's own column is named where meant.
        self._rewrite = False
        self._populate = None

    def update(self, **kwargs):
        # The field's own column is the English column's copy (InEveryLanguage.save keeps them
        # in step for one record; this, for an update of many).
        for field in self.model.translated_fields:
            if field in kwargs and f"{field}_en" not in kwargs:
                kwargs[f"{field}_en"] = kwargs[field]
            elif f"{field}_en" in kwargs and field not in kwargs:
                kwargs[field] = kwargs[f"{field}_en"] or ""
        return super().update(**kwargs)


class InEveryLanguage(models.Model):
    """A record whose `translated_fields` are kept in every interface language, with each
    language's origin in `text_origins` (the subclass declares that field: its help text says
    which texts it is about)."""

    translated_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._keep_english_columns_in_step()
        # Django saves what a field's descriptor reads, and modeltranslation's reads the active
        # language's column: in English, the translated fields save the English text.
        with translation.override("en"):
            super().save(*args, **kwargs)

    save.alters_data = True

    def _keep_english_columns_in_step(self):
        # The field's own column is English, as it always was; modeltranslation's English
        # column is the one written, so copy it over. Set on __dict__: the field's descriptor
        # would write the active language's column instead.
        for field in self.translated_fields:
            english = getattr(self, f"{field}_en")
            if english is None or english == "":
                english = self.__dict__.get(field) or ""
                setattr(self, f"{field}_en", english)
            self.__dict__[field] = english


def chinese_column(field, *, origin_with_text=""):
    """A property `<field>_zh`: the Chinese column `<field>_zh_hans` by the name API v1, the
    CSV, the fixtures and the forms have always used (v1 never renames or removes a field).
    Setting it to nothing stores NULL (catalogue/translation.py). `origin_with_text`: the
    origin a model's Chinese always has (a source's own title), recorded when the text is given
    without one."""
    column = f"{field}_zh_hans"

    def read(record):
        return getattr(record, column) or ""

    def write(record, value):
        setattr(record, column, value or None)
        if value and origin_with_text and not text_origin(record, "zh-hans"):
            record.text_origins = {**(record.text_origins or {}), "zh-hans": origin_with_text}

    return property(read, write, doc=f"`{column}` by its v1 name.")


def chinese_origin():
    """A property `<field>_zh_origin`: whose words the Chinese text is, kept in the record's
    `text_origins` as {"zh-hans": origin}, by the name API v1 and the fixtures use."""

    def read(record):
        return text_origin(record, "zh-hans")

    def write(record, value):
        origins = {**(record.text_origins or {}), "zh-hans": value}
        if not value:
            del origins["zh-hans"]
        record.text_origins = origins

    return property(read, write, doc="The Chinese text's origin, in `text_origins`.")
