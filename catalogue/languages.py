"""Which language of a record's text a reader sees: the one rule, used by models (display
names), templates (the `bilingual`, `content_lang` and `other_language` filters), forms and the
list's title order.

The rule, for any language: the reader's language (the interface's) if the record has the text
in it, else English, which every record has; and when it falls back, the page says so ("Not
available in this language; shown in English."), of the records on it (`shown_in_english`).
Text lives in one of two shapes: the first for every translation (issue 15), the second for
quotations:

- fields registered with django-modeltranslation (catalogue/translation.py): one column per
  language, `title_en`, `title_zh_hans`, `title_fr`, …, with each language's origin in the
  record's `text_origins` ({"zh-hans": "source"}): initiatives' titles and summaries, the
  vocabularies' names and titles, publications' titles;
- the hand-made pairs left, which are no translations but the source document's own words in
  its own language (a key figure's `text_zh`, a publication passage's `quote_zh`): `<field>` in
  English and `<field>_zh` in Chinese.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Collate, NullIf
from django.utils.translation import get_language, gettext, to_locale
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_lang, build_localized_fieldname

CHINESE, ENGLISH = "zh-Hans", "en"  # BCP 47 tags, for `lang` attributes

# An initiative's fields kept in every language (Initiative.translated_fields; a partner's
# submission gives them in any language). Other records' are their models' `translated_fields`.
TRANSLATED_FIELDS = ("title", "summary")

# Each language's ICU collation on PostgreSQL (the pinyin order for Chinese), for sorting the
# text a reader sees; migration 0034 indexes each language's title order with it.
ICU_COLLATIONS = {
    "zh-hans": "zh-x-icu",
    "ar": "ar-x-icu",
    "fr": "fr-x-icu",
    "ru": "ru-x-icu",
    "es": "es-x-icu",
}


class CollateWhereAvailable(Collate):
    """`<expression> COLLATE "<collation>"` on PostgreSQL, whose ICU collations these are; the
    plain order elsewhere (SQLite has none of them)."""

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            return compiler.compile(self.get_source_expressions()[0])
        return super().as_sql(compiler, connection, **extra_context)


def shown_text(field):
    """A query expression: `<field>` in the reader's language where the row has it, else in
    English (`<field>`'s own column): what the reader sees, read in the query (a facet's
    labels)."""
    language = reader_language()
    if language == "en" or language not in ICU_COLLATIONS:
        return F(field)
    return Coalesce(NullIf(F(build_localized_fieldname(field, language)), Value("")), F(field))


def shown_text_expression(field):
    """`shown_text(field)` in the reader's language's collation: the order of what the reader
    sees."""
    language = reader_language()
    if language == "en" or language not in ICU_COLLATIONS:
        return F(field)
    return CollateWhereAvailable(shown_text(field), ICU_COLLATIONS[language])


# The suffix of each language's column (modeltranslation's: "zh-hans" → title_zh_hans).
LANGUAGE_COLUMNS = tuple(build_lang(code) for code, _name in settings.LANGUAGES)


def language_code_in_row(row, field):
    """The code of the language `in_row` shows `row[field]` in."""
    language = reader_language()
    return language if language != "en" and row.get(build_localized_fieldname(field, language)) else "en"


def in_row(row, field):
    """`row[field]` (a values() dict with every language's column) as `in_interface_language`
    shows it: the reader's language where the row has it, else English."""
    language = language_code_in_row(row, field)
    return row[build_localized_fieldname(field, language)] if language != "en" else row[field]


def interface_languages():
    """The interface's languages (settings.LANGUAGES), as choices: a callable, so that a model
    field offering them (the language of a partner's mail) follows the setting without a
    migration each time a language is added."""
    return settings.LANGUAGES


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def reader_language():
    """The interface's language for the current request (or override), as in settings.LANGUAGES."""
    return (get_language() or settings.LANGUAGE_CODE).lower()


def tag(code):
    """The BCP 47 tag of a language code, for `lang` attributes: "zh-hans" → "zh-Hans"."""
    return to_locale(code).replace("_", "-")


def chinese_interface():
    """Whether the interface is in Chinese for the current request (or override)."""
    return reader_language().startswith("zh")


def is_translated(record, field):
    """Whether `field` of `record` is kept in every language (registered with modeltranslation)."""
    try:
        return field in translator.get_options_for_model(type(record)).all_fields
    except NotRegistered:
        return False


def text_in(record, field, language):
    """`record.<field>` in `language` (a settings.LANGUAGES code), "" when it has none."""
    if is_translated(record, field):
        text = getattr(record, build_localized_fieldname(field, language), "")
        if language == "en" and not text:
            # A record built without going through modeltranslation's columns (a factory's
            # unsaved instance): its own column is English.
            text = record.__dict__.get(field, "")
        return text or ""
    saved_text = getattr(record, "saved_text", None)
    if saved_text is not None:  # a record as it read when it was saved (a collection's case)
        return saved_text(field, language)
    if language == "en":
        return getattr(record, field) or ""
    if language == "zh-hans":
        return getattr(record, f"{field}_zh", "") or ""
    return ""


def language_code_shown(record, field):
    """The settings.LANGUAGES code of the language the reader sees `record.<field>` in."""
    language = reader_language()
    return language if language != "en" and text_in(record, field, language) else "en"


def in_interface_language(record, field):
    """`record.<field>` in the reader's language when the record has it, else in English."""
    return text_in(record, field, language_code_shown(record, field))


def language_shown(record, field):
    """The BCP 47 tag of what `in_interface_language` shows for `record.<field>`."""
    return tag(language_code_shown(record, field))


def text_origin(record, language, field=None):
    """Whose words `record`'s text in `language` is (vocabularies.TextOrigin): for a record
    kept in every language, its `text_origins`; for an older pair, `<field>_zh_origin`."""
    if field is None or is_translated(record, field):
        return (getattr(record, "text_origins", None) or {}).get(language, "")
    return getattr(record, f"{field}_zh_origin", "") if language == "zh-hans" else ""


# The key of `text_origins` naming the language a submitting partner wrote the text in first
# ({"fr": "partner", "original": "fr"}): the others are their translations.
ORIGINAL = "original"


def partners_original(record):
    """The code of the language the submitting partner wrote `record`'s text in first, ""
    when the record does not say (it was not submitted with one)."""
    return (getattr(record, "text_origins", None) or {}).get(ORIGINAL, "")


def text_key(field, language):
    """The name of `field` ("title", "summary") in `language` among a submission's content (the
    partner's form and the API, the review page's corrections, an edit's or a comment's
    field): `title` for English and `title_zh` for Chinese, as they were always named; the
    language's column for the others (`title_fr`)."""
    if language == "en":
        return field
    if language == "zh-hans":
        return f"{field}_zh"
    return build_localized_fieldname(field, language)


def texts_by_language(record):
    """{code: (title, summary)} of `record` in each language other than English: what a
    partner's save is compared with (`partner_text_origins`)."""
    return {
        code: tuple(text_in(record, field, code) for field in TRANSLATED_FIELDS)
        for code in language_codes()
        if code != "en"
    }


def partner_text_origins(record, original, earlier=None):
    """`text_origins` for a partner's save of `record`, `original` (a language code) naming the
    language they wrote first. Each language other than English `record` has a title or summary
    in is the partner's ("partner") when they wrote or changed it; one whose text is as it was
    (`earlier`: `texts_by_language` before the save) keeps its recorded origin, so that a
    translation an editor wrote stays the editor's ("editorial")."""
    from .models.vocabularies import TextOrigin

    recorded = getattr(record, "text_origins", None) or {}
    earlier = earlier or {}
    origins = {}
    for code, texts in texts_by_language(record).items():
        if not any(texts):
            continue
        unchanged = earlier.get(code) == texts and recorded.get(code)
        origins[code] = recorded[code] if unchanged else TextOrigin.PARTNER.value
    return {**origins, ORIGINAL: original}


def texts_given(record):
    """[{code, tag, name, title, summary, original}] for each language `record` has a title or
    summary in, English first: what a partner gave, as the review page lists it."""
    names = dict(settings.LANGUAGES)
    original = partners_original(record)
    codes = ["en", *(code for code in language_codes() if code != "en")]
    return [
        {
            "code": code,
            "tag": tag(code),
            "name": names[code],
            "title": text_in(record, "title", code),
            "summary": text_in(record, "summary", code),
            "original": code == original,
        }
        for code in codes
        if any(text_in(record, field, code) for field in TRANSLATED_FIELDS)
    ]


def original_language(record, field):
    """The code of the language other than English whose `record.<field>` is the original:
    the source document's own words, else what the submitting partner wrote first, else the
    first other language the record has; "" if none."""
    others = [code for code in language_codes() if code != "en" and text_in(record, field, code)]
    for code in others:
        if text_origin(record, code, field) == "source":
            return code
    if partners_original(record) in others:
        return partners_original(record)
    return others[0] if others else ""


def in_other_language(record, field):
    """(text, tag) shown beside the main title or summary: English when the reader sees
    another language, else the record's original in another language (the source's own
    Chinese, say) when it has one; ("", "") otherwise."""
    shown = language_code_shown(record, field)
    other = "en" if shown != "en" else original_language(record, field)
    text = text_in(record, field, other) if other else ""
    if not (text and text_in(record, field, shown)):
        return "", ""
    return text, tag(other)


# The origins of a text the catalogue translated (vocabularies.TextOrigin): its editors' own
# translation, or a machine translation one of them reviewed.
CATALOGUE_TRANSLATIONS = ("editorial", "machine_reviewed")


def translated_by_catalogue(record, field):
    """Whether the text the reader sees of `record.<field>` (in their language, or English
    when the record lacks it) is the catalogue's translation, not the source's or a partner's
    words (a small note says so)."""
    shown = language_code_shown(record, field)
    return bool(text_in(record, field, shown)) and text_origin(record, shown, field) in CATALOGUE_TRANSLATIONS


# What a case page says of its text in the reader's language when the catalogue translated it
# or the submitting partner gave it (vocabularies.TextOrigin): once, below the summary.
ORIGIN_NOTES = {
    "editorial": _("Translated by the catalogue's editors."),
    "machine_reviewed": _("Machine translation, reviewed by an editor."),
    "partner": _("Given by the submitting partner."),
}


def origin_note(record):
    """What the case page says of whose words its text in a language other than English is
    (`record`'s title and summary), once: of a text in the reader's language, who translated or
    gave it (`ORIGIN_NOTES`); of Chinese otherwise (the source document's own, or the original
    shown beside the English), its origin, as the page always said; "" when the page shows no
    such text or says nothing of it (a French source document's own words need no note)."""
    from .models.vocabularies import TextOrigin

    shown = [language_code_shown(record, field) for field in TRANSLATED_FIELDS]
    language = next((code for code in shown if code != "en"), "")
    if language:
        note = ORIGIN_NOTES.get(text_origin(record, language))
        if note:
            return note
    else:  # the reader sees English, with the record's original beside it
        beside = (
            original_language(record, field)
            for field in TRANSLATED_FIELDS
            if in_other_language(record, field)[0]
        )
        language = next(beside, "")
    origin = text_origin(record, language)
    if language == "zh-hans" and origin:
        return gettext("Chinese text: %(origin)s") % {"origin": TextOrigin(origin).label}
    return ""


def shown_in_english(records):
    """Whether the reader sees `records` (those kept in every language) in English instead of
    their own language: "all" when every one falls back to English in some text (its title,
    say), "some" when some do, "" when none does or the reader reads English. Read from the
    records as they were loaded: no query."""
    if reader_language() == "en":
        return ""
    translated = [record for record in records if getattr(type(record), "translated_fields", ())]
    fallen = sum(
        any(shown_in_english_instead(record, field) for field in type(record).translated_fields)
        for record in translated
    )
    if not fallen:
        return ""
    return "all" if fallen == len(translated) else "some"


def shown_in_english_instead(record, field):
    """Whether the reader's language is not English and `record.<field>` is not written in it,
    so English is shown (said on the record's own page)."""
    return reader_language() != "en" and language_code_shown(record, field) == "en"


def translations(record):
    """{code: {field: text, …, "origin": …}} of every language other than English the record's
    translated fields (its model's `translated_fields`) are written in: API v1's
    `translations`."""
    result = {}
    for code in language_codes():
        if code == "en":
            continue
        texts = {field: text_in(record, field, code) for field in type(record).translated_fields}
        if any(texts.values()):
            result[code] = {**texts, "origin": text_origin(record, code)}
    return result


def validate_text_origins(value):
    """`text_origins` names interface languages and origins only: {"zh-hans": "source"}; and,
    for a partner's submission, the language they wrote first: {"original": "fr"}."""
    from .models.vocabularies import TextOrigin

    if not isinstance(value, dict):
        raise ValidationError(_("Give an object of language codes and origins."))
    if ORIGINAL in value and value[ORIGINAL] not in language_codes():
        raise ValidationError(
            _("%(code)s is not one of the site's languages."),
            params={"code": value[ORIGINAL]},
            code="language",
        )
    for code, origin in value.items():
        if code == ORIGINAL:
            continue
        if code not in language_codes():
            raise ValidationError(
                _("%(code)s is not one of the site's languages."), params={"code": code}, code="language"
            )
        if origin not in TextOrigin.values or not origin:
            raise ValidationError(
                _("%(origin)s is not an origin: give source, editorial, partner or machine_reviewed."),
                params={"origin": origin},
                code="origin",
            )
