"""Which fields hold text in each of the interface's languages (django-modeltranslation).

Each registered field gets one column per language in settings.MODELTRANSLATION_LANGUAGES
(`title_en`, `title_zh_hans`, `title_fr`, …) on the record's own table. The field's own column
(`title`) keeps the English text, as before, so the list's title index, the stored search vector
and every query that names it stay as they were (Initiative.save keeps the two in step).

Reading `initiative.title` gives the reader's language when the record has it, else English:
the one rule of catalogue/languages.py. Code that means one language names its column.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Initiative


@register(Initiative)
class InitiativeTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
    # The record must have English (the language every reader can fall back to); the form
    # and the API say so in their own words, so the columns themselves may be blank.
    required_languages = ()


# The admin's history keeps every language's text, as it kept the Chinese columns.
@register(Initiative.history.model)
class HistoricalInitiativeTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ()
