"""Which language of bilingual content a reader sees: the one rule, used by models (display
names), templates (the `bilingual`, `content_lang` and `other_language` filters) and forms."""

from django.conf import settings
from django.utils.translation import get_language

CHINESE, ENGLISH = "zh-Hans", "en"  # BCP 47 tags, for `lang` attributes


# The interface languages the catalogue's content is written in: every record in English, some
# in Chinese too. In the other interface languages (Arabic, French, Russian, Spanish) the reader
# sees English, and is told so once per page (`content_shown_in_english`).
CONTENT_LANGUAGES = ("en", "zh-hans")


def interface_languages():
    """The interface's languages (settings.LANGUAGES), as choices: a callable, so that a model
    field offering them (the language of a partner's mail) follows the setting without a
    migration each time a language is added."""
    return settings.LANGUAGES


def chinese_interface():
    """Whether the interface is in Chinese for the current request (or override)."""
    return (get_language() or "").startswith("zh")


def in_interface_language(record, field):
    """`record.<field>_zh` in the Chinese interface when it is filled in, else `record.<field>`."""
    chinese = getattr(record, f"{field}_zh", "")
    return chinese if chinese_interface() and chinese else getattr(record, field)


def language_shown(record, field):
    """The BCP 47 tag of what `in_interface_language` shows for `record.<field>`."""
    return CHINESE if chinese_interface() and getattr(record, f"{field}_zh", "") else ENGLISH


def in_other_language(record, field):
    """(text, tag) of `record.<field>` in the language the reader is *not* shown, when the
    record has both (shown beside the main title); ("", "") otherwise."""
    english, chinese = getattr(record, field), getattr(record, f"{field}_zh", "")
    if not (english and chinese):
        return "", ""
    return (english, ENGLISH) if language_shown(record, field) == CHINESE else (chinese, CHINESE)


def translated_by_catalogue(record, field):
    """Whether `record.<field>_zh` is filled in and is the catalogue's own translation, not
    the source's words (its `<field>_zh_origin`; the rule: vocabularies.TextOrigin)."""
    return (
        bool(getattr(record, f"{field}_zh", "")) and getattr(record, f"{field}_zh_origin", "") == "editorial"
    )


def content_shown_in_english():
    """Whether the interface is in a language no content is written in, so that every record
    on the page is shown in English (said once per page)."""
    return (get_language() or ENGLISH) not in CONTENT_LANGUAGES


def shown_in_english_instead(record, field):
    """Whether the interface is in Chinese but `record.<field>` has no Chinese, so English is
    shown (said on the record's own page; in the other languages the page says it once)."""
    return chinese_interface() and language_shown(record, field) == ENGLISH
