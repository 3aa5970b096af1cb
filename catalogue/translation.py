"""Which fields hold text in each of the interface's languages (django-modeltranslation).

Each registered field gets one column per language in settings.MODELTRANSLATION_LANGUAGES
(`title_en`, `title_zh_hans`, `title_fr`, …) on the record's own table. The field's own column
(`title`) keeps the English text, as before, so the list's title index, the stored search vector
and every query that names it stay as they were (models/translated.py keeps the two in step).
Which fields a model keeps in every language is its `translated_fields`.

Reading `initiative.title` gives the reader's language when the record has it, else English:
the one rule of catalogue/languages.py. Code that means one language names its column.
"""

import functools

from django.utils import translation
from modeltranslation import manager as modeltranslation_manager
from modeltranslation.translator import TranslationOptions, translator

from .models import (
    BeneficiaryGroup,
    Initiative,
    Organisation,
    Publication,
    Requirement,
    Sector,
    Source,
    Task,
    Technology,
)

# modeltranslation gives each queryset of a translated model a subclass of its class, and built
# that subclass anew on every get_queryset() (`multilingual_queryset_factory`): five classes
# for a case page (~1.5% of its time under cProfile), and garbage for the collector. The subclass
# depends only on the class it extends, so each is built once. (`_patch_queryset` reads the
# module's name, which is replaced below.)
_multilingual_class = functools.lru_cache(maxsize=256)(
    functools.partial(modeltranslation_manager.multilingual_queryset_factory, instantiate=False)
)


def multilingual_queryset_factory(old_cls, instantiate=True):
    """modeltranslation's factory, each class built once (pickled querysets name it)."""
    new_class = _multilingual_class(old_cls)
    return new_class() if instantiate else new_class


modeltranslation_manager.multilingual_queryset_factory = multilingual_queryset_factory

# An initiative's text may be blank in any language; names and titles store "no text" as NULL,
# since a vocabulary's names are unique in each language and many records have no Chinese.
EMPTY_AS_NULL = {Initiative: False}


def options(model):
    """The record must have English (the language every reader can fall back to); the form
    and the API say so in their own words, so the columns themselves may be blank."""
    attributes = {"fields": model.translated_fields, "required_languages": ()}
    if EMPTY_AS_NULL.get(model, True):
        attributes["empty_values"] = None
    return type(f"{model.__name__}TranslationOptions", (TranslationOptions,), attributes)


def english_when_constructed(model):
    """`Model(name=…)` gives the English name whatever the interface language, as the field's
    own column is English. modeltranslation's constructor gives it to the active language's
    column instead: an editor approving a partner's new organisation in the French interface
    would have given it a "French" name, its English one copied."""
    constructor = model.__init__

    def __init__(self, *args, **kwargs):
        if not any(field in kwargs for field in model.translated_fields):
            return constructor(self, *args, **kwargs)  # rows read from the database, among others
        with translation.override("en"):
            return constructor(self, *args, **kwargs)

    model.__init__ = __init__


for model in (
    Initiative,
    Source,
    Requirement,
    Sector,
    Technology,
    BeneficiaryGroup,
    Task,
    Organisation,
    Publication,
):
    translator.register(model, options(model))
    english_when_constructed(model)
    # The admin's history keeps every language's text, as it kept the Chinese columns.
    translator.register(model.history.model, options(model))
