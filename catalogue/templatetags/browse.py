"""Template helpers for the browse pages: query strings, bilingual fields, highlighting.

Pagination and sort links use Django's own `{% querystring %}`; `querystring_with_values`
adds what it cannot do: set a repeated parameter to a list of values (a filter chip's remove
link keeps the other values).
"""

import functools
import html
import itertools
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, npgettext

from catalogue.languages import (
    CHINESE,
    ENGLISH,
    in_interface_language,
    in_other_language,
    language_code_shown,
    language_shown,
    origin_note,
    shown_in_english,
    shown_in_english_instead,
    tag,
    text_in,
    translated_by_catalogue,
)
from catalogue.search import (
    HEADLINE_START,
    HEADLINE_STOP,
    contains_chinese,
    matched_language,
    query_pattern,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def querystring_with_values(context, key, values):
    """The current query string with `key` set to `values` (left out when there are none)
    and without `page`, since changing a filter changes the pages; returns "?…"."""
    params = context.request.GET.copy()
    params.pop("page", None)
    params.setlist(key, [str(value) for value in values])
    if not values:
        params.pop(key)
    return f"?{params.urlencode()}"


@register.simple_tag
def facet_options(field, options, kind="checkbox"):
    """The <li> of each option of a facet of the filter form (partials/filter_form.html): a
    checkbox (or, for a yes/no facet, a radio button labelled with a capital) with its label
    and count; the label is a <bdi>, so that on an Arabic page an English label keeps its
    number in front ("1. Support children's …"). Written here rather than in the template: a
    list page has some 150 options, and drawing them through template nodes was a third of its
    Python time at 100,000 initiatives (issue 9). Escaped with the standard library's
    `html.escape` (what Django's `escape` calls) rather than `format_html`, whose lazy-text
    checks on every argument cost a search page ~5 ms; a count's HTML is made once per number and
    language (`count_html`)."""
    auto_id, name, radio = escape_text(field.auto_id), escape_text(field.html_name), kind == "radio"
    language = get_language()
    items = []
    for index, option in enumerate(options):
        count = "" if option.count is None else count_html(option.count, language)
        label = capfirst(option.label) if radio else option.label
        checked = " checked" if option.selected else ""
        option_id = f"{auto_id}_{index}"
        items.append(
            f'<li><input type="{kind}" name="{name}" value="{escape_text(option.value)}" '
            f'id="{option_id}"{checked}>'
            f'<label for="{option_id}"><bdi>{escape_text(label)}</bdi> {count}</label></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 (every value in it escaped above)


@functools.lru_cache(maxsize=4096)
def count_html(count, language):
    """A facet option's count as HTML, in `language` (the active one: the cache's key): the
    same for every option with that count, and the numbers repeat from page to page."""
    return (
        f'<span class="count">{escape_text(localize(count))}'
        '<span class="visually-hidden"> '
        # What the number counts, for screen readers, in the form the number takes.
        # (A context of its own: the bare "initiative" is the model's name, without plural.)
        f"{escape_text(npgettext('how many', 'initiative', 'initiatives', count))}"
        "</span></span>"
    )


def escape_text(value):
    """`value` as text escaped for HTML, as Django's `escape` does (without its lazy-text
    wrapper): `html.escape(str(value))`; safe strings (`__html__`) are kept as they are."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag
def card_tags(initiative, list_url):
    """A card's sector and technology tags, each a link to the list filtered by it
    (partials/initiative_card.html); in Python for the same reason as facet_options."""
    tags = [("tag tag-sector", "sector", sector) for sector in initiative.sectors.all()]
    tags += [("tag", "technology", technology) for technology in initiative.technologies.all()]
    list_url = escape_text(list_url)
    return mark_safe(  # noqa: S308 (every value in it escaped)
        "".join(
            f'<li class="{css}"><a href="{list_url}?{escape_text(urlencode({name: term.slug}))}">'
            f"{escape_text(term.display_name)}</a></li>"
            for css, name, term in tags
        )
    )


@register.simple_tag
def querystring_new(**params):
    """A fresh query string from `params` alone (links that start a new filter); "?…"."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = value
    return f"?{query.urlencode()}"


@register.filter
def bilingual(record, field):
    """`record.<field>` in the reader's language when the record has it, else in English."""
    return in_interface_language(record, field)


@register.filter
def content_lang(record, field):
    """The BCP 47 tag of what `bilingual` shows for `record.<field>`, for `lang` attributes."""
    return language_shown(record, field)


@register.simple_tag(takes_context=True)
def content_falls_back_to_english(context):
    """Whether the records on the page (a list's `object_list`, a record's own `object`, and
    what a view lists besides them in `records_shown`) are shown in English, not in the
    reader's language: "all", "some" or "" (the page says so once). The rows are the ones the
    page shows, read once: this costs no query."""
    listed = (context.get(name) for name in ("object_list", "records_shown"))
    # Lazily: in English the rows are not looked at.
    records = itertools.chain(
        *(rows for rows in listed if rows is not None), filter(None, [context.get("object")])
    )
    return shown_in_english(records)


@register.filter
def english_instead(record, field):
    """Whether the Chinese interface shows `record.<field>` in English, having no Chinese."""
    return shown_in_english_instead(record, field)


@register.filter
def other_language(record, field):
    """(text, BCP 47 tag) of `record.<field>` in the language `bilingual` does not show, when
    the record has both; ("", "") otherwise. Unpack with `{% with pair=… %}`."""
    return in_other_language(record, field)


@register.filter
def catalogue_translation(record, field):
    """Whether the text the reader sees of the record's `field` is the catalogue's translation
    (a small note says so)."""
    return translated_by_catalogue(record, field)


@register.filter(name="origin_note")
def origin_note_filter(record):
    """What a case page says, once, of whose words its text in another language than English
    is ("Translated by the catalogue's editors."); "" when nothing."""
    return origin_note(record)


@register.filter
def text_lang(text):
    """ "zh-Hans" for text written in Chinese (quotes from the sources), else "en"."""
    return CHINESE if contains_chinese(text or "") else ENGLISH


@register.filter
def headline(text):
    """A PostgreSQL search headline, escaped, with its matched words in <mark>."""
    marked = escape(text).replace(HEADLINE_START, "<mark>").replace(HEADLINE_STOP, "</mark>")
    return mark_safe(marked)  # noqa: S308 — the text was escaped first; only <mark> is added


@register.filter
def has_headline_match(text):
    return bool(text) and HEADLINE_START in text


@register.filter
def highlight(text, query):
    """`text` escaped, with each word of `query` that occurs in it in <mark> (any case)."""
    pattern = query_pattern(query)
    if pattern is None:
        return escape(text)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 — every piece of the text is escaped


@register.filter
def excerpt(text, query, length=280):
    """About `length` characters of `text` around the first word of `query` it contains
    (the start when none), with "…" where it was cut."""
    pattern = query_pattern(query)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.end() > length - 40:
        start = max(0, match.start() - length // 4)
        space = text.rfind(" ", 0, start)
        start = space + 1 if space > start - 20 else start
    end = start + length
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


@dataclass(frozen=True)
class SearchResult:
    """What a search result's card shows: its title and summary snippet (HTML, the matched
    words in <mark>), each with the BCP 47 tag of its language."""

    title: str
    title_lang: str
    summary: str
    summary_lang: str


@register.simple_tag
def search_result(initiative, search):
    """The title and snippet of `initiative` in the language whose text matched `search`:
    from the PostgreSQL headlines of `search_match` (InitiativeQuerySet.with_search_headline)
    when the queryset has them, else the first language whose title or summary contains a word
    of the search (catalogue/search.py: matched_language). A field without text in that
    language, or a case found by an organisation's name or a key figure, shows what the reader
    sees anyway, its words of the search marked."""
    if hasattr(initiative, "search_match"):
        language, title_headline, summary_headline = initiative.search_match or (None, None, None)
    else:
        language, title_headline, summary_headline = matched_language(initiative, search), None, None
    title, title_lang = _in_matched_language(initiative, "title", language, title_headline, search)
    summary, summary_lang = _in_matched_language(initiative, "summary", language, summary_headline, search)
    return SearchResult(title, title_lang, summary, summary_lang)


def _in_matched_language(initiative, field, language, headline_text, search):
    text = text_in(initiative, field, language) if language else ""
    if not text:
        language = language_code_shown(initiative, field)
        text, headline_text = text_in(initiative, field, language), None
    if has_headline_match(headline_text):
        marked = headline(headline_text)
        return (format_html("{}…", marked) if field == "summary" else marked), tag(language)
    if field == "summary":
        text = excerpt(text, search)
    return highlight(text, search), tag(language)


@register.filter
def html_lang(language_code):
    """Django's language code as an HTML `lang` value: "zh-hans" → "zh-Hans"."""
    return "zh-Hans" if language_code == "zh-hans" else language_code


# What json_script escapes, so that no value can close the <script> element early.
JSON_SCRIPT_ESCAPES = {">": "\\u003E", "<": "\\u003C", "&": "\\u0026"}


@register.filter
def json_ld(data):
    """`data` as a <script type="application/ld+json"> block (a data block: CSP lets it be,
    since it is never run)."""
    text = json.dumps(data, ensure_ascii=False)
    # One replace() per character, not str.translate(): on text with any non-ASCII character
    # (a name with an accent, a Chinese title) translate() looks every character up in the
    # dict, ~0.3 ms for a case page's ~1.8 KB of JSON-LD (of ~6 ms of Python for the page);
    # replace() finds the few it changes in microseconds.
    for character, escaped in JSON_SCRIPT_ESCAPES.items():
        text = text.replace(character, escaped)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
