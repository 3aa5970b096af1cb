"""Free-text search over initiatives, for the list page and the API (through
`InitiativeQuerySet.search` and `.with_search_headline`).

On PostgreSQL: full-text search in English. An initiative's own title, summary and description
are matched and ranked from `search_document`, a tsvector column the database keeps up to date
(migration 0009, GIN-indexed); organisation names and key figures are matched through GIN
expression indexes (migration 0002), which are only used when the query repeats their expression.
PostgreSQL's parsers do not segment Chinese, so a query containing Chinese characters also matches
the Chinese fields by substring (trigram-indexed on initiatives, migration 0009). Elsewhere
(SQLite): a substring match over every field in SEARCHED_FIELDS.
"""

import difflib
import re

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import BooleanField, Case, Expression, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.expressions import Col
from django.db.models.functions import Lower
from modeltranslation.utils import build_localized_fieldname

from .languages import LANGUAGE_COLUMNS, reader_language, text_in
from .models.compiled import Precompiled

SEARCH_CONFIG = "english"
# The title and summary in every language (catalogue/translation.py: `title` is English).
SEARCHED_FIELDS = [
    *(
        f"{field}_{language}"
        for field in ("title", "summary")
        for language in LANGUAGE_COLUMNS
        if language != "en"
    ),
    "title",
    "summary",
    "description",
    "lead_organisation__name",
    "lead_organisation__name_zh_hans",
    "partners__name",
    "partners__name_zh_hans",
    "key_figures__text",
    "key_figures__text_zh",
]
CJK_CHARACTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
CJK_RUN = re.compile(CJK_CHARACTER.pattern + "+")
# Private-use characters mark the matched words in a search headline; a template filter
# escapes the text and only then turns them into <mark> elements.
HEADLINE_START, HEADLINE_STOP = "\ue000", "\ue001"


def initiative_search_vector():
    # What migration 0002 indexed; 0009 dropped that index for StoredSearchVector, but both
    # migrations still build it from here.
    return SearchVector("title", "summary", "description", config=SEARCH_CONFIG)


class StoredSearchVector(Expression):
    """The initiative's `search_document` column (migration 0009): title weighted A, summary
    B, description C. PostgreSQL only. The column is deliberately not a model field (see the
    migration), so this resolves to it by hand, on the initiative table of the query it is
    used in."""

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        column = SearchVectorField()
        column.set_attributes_from_name("search_document")
        column.model = query.model  # what Django hashes a column by, as for a real field
        return Col(query.get_initial_alias(), column)


def organisation_search_vector():
    return SearchVector("name", config=SEARCH_CONFIG)


def key_figure_search_vector():
    return SearchVector("text", config=SEARCH_CONFIG)


# The stored vector also holds the other languages' titles and summaries, each stemmed its own
# way (migration 0036); a query is stemmed each of those ways too, so "histoires" finds "histoire".
OTHER_SEARCH_CONFIGS = ("french", "spanish", "russian", "arabic")


def search_query(text):
    """The query for `text`: English, or any other language the vector holds."""
    return SearchQueryInLanguages(text, (SEARCH_CONFIG, *OTHER_SEARCH_CONFIGS))


class SearchQueryInLanguages(SearchQuery):
    """`text` as a web-search query stemmed each way of `configs`, ORed: the tsquery of
    `SearchQuery(text, config=c, search_type="websearch") | …` for each c, as one expression
    (combined with `|`, the five were copied and resolved in each of a search page's queries:
    ~15 ms, a fifth of its Python). Each distinct stemming is ORed once, by migration 0042's
    function: an OR of one word five times made PostgreSQL expect five times its matches."""

    def __init__(self, text, configs):
        super().__init__(text, config=configs[0], search_type="websearch")
        self.configs = tuple(configs)

    def as_sql(self, compiler, connection, function=None, template=None):
        text_sql, text_params = compiler.compile(self.source_expressions[-1])
        sql = f"catalogue_websearch_query({text_sql}, %s::regconfig[])"
        return (f"!!({sql})" if self.invert else sql), (*text_params, list(self.configs))


def contains_chinese(text):
    return bool(CJK_CHARACTER.search(text))


def _model(name):
    # Looked up, not imported: the models module imports this one.
    return apps.get_model("catalogue", name)


def matching(initiatives, text):
    """`initiatives` narrowed to those matching `text`, annotated `search_rank` and ordered
    best first; unchanged for blank text."""
    text = text.strip()
    if not text:
        return initiatives
    if connections[initiatives.db].vendor == "postgresql":
        return _full_text_search(initiatives, text)
    return _substring_search(initiatives, text)


def _full_text_search(initiatives, text):
    # Built and compiled once per kind of search (compiled.Precompiled), then given the text.
    terms = tuple(CJK_RUN.findall(text))
    return (
        initiatives.filter(Precompiled(_search_condition, [text], terms, BooleanField()))
        .annotate(search_rank=Precompiled(_search_rank, [text], terms, FloatField()))
        .order_by("-search_rank", "title", "pk")
    )


def _search_condition(text, *chinese_terms):
    """The initiatives matching `text`, whose `chinese_terms` (CJK_RUN's) are also looked for
    by substring, as a condition on the initiative's row."""
    Organisation, KeyFigure = _model("Organisation"), _model("KeyFigure")
    query = search_query(text)
    organisations = Organisation.objects.annotate(vector=organisation_search_vector()).filter(vector=query)
    # Every branch is a condition on the initiative's own row that an index answers as a
    # bitmap, so PostgreSQL ORs the bitmaps and reads only the matching rows once. The common
    # case reads the stored vector, which also ranks the results; the rarer ones (organisation
    # names, key figures) are small id arrays computed once (see AnyOf).
    matches = (
        Q(SearchVectorExact(StoredSearchVector(), query))
        | Q(AnyOf("lead_organisation", organisations.order_by().values("pk")))
        | Q(AnyOf("pk", _partnered_in(organisations)))
        | Q(
            AnyOf(
                "pk",
                KeyFigure.objects.annotate(vector=key_figure_search_vector())
                .filter(vector=query)
                .order_by()
                .values("initiative"),
            )
        )
    )
    for term in chinese_terms:
        matches |= _chinese_matches(term)
    return matches


def _search_rank(text, *chinese_terms):
    # Ranked from the stored vector alone: a lead organisation's name still finds its
    # initiatives, but no longer adds to their rank, which would mean building a vector for
    # every matching row again.
    rank = SearchRank(StoredSearchVector(), search_query(text))
    if chinese_terms:
        # `contains`, not `icontains`: Chinese has no case, and a trigram index serves
        # `title_zh LIKE '%…%'` but not `UPPER(title_zh) LIKE …`.
        in_title, in_summary = Q(), Q()
        for term in chinese_terms:
            in_title |= Q(title_zh_hans__contains=term)
            in_summary |= Q(summary_zh_hans__contains=term)
        rank = rank + Case(
            When(in_title, then=Value(1.0)), When(in_summary, then=Value(0.5)), default=Value(0.0)
        )
    return rank


def _chinese_matches(term):
    """Initiatives with `term` in a Chinese field, as conditions on the initiative's row (see
    `_full_text_search`): the trigram indexes answer its own fields when `term` has three
    characters or more."""
    Organisation, KeyFigure = _model("Organisation"), _model("KeyFigure")
    organisations = Organisation.objects.filter(name_zh_hans__contains=term)
    return (
        Q(title_zh_hans__contains=term)
        | Q(summary_zh_hans__contains=term)
        | Q(AnyOf("lead_organisation", organisations.order_by().values("pk")))
        | Q(AnyOf("pk", _partnered_in(organisations)))
        | Q(AnyOf("pk", KeyFigure.objects.filter(text_zh__contains=term).order_by().values("initiative")))
    )


def _partnered_in(organisations):
    return (
        _model("Initiative")
        .partners.through.objects.filter(organisation__in=organisations.order_by().values("pk"))
        .values("initiative")
    )


class AnyOf(Expression):
    """`<column> = ANY(ARRAY(<ids>))`. Unlike `<column> IN (<ids>)`, which PostgreSQL tests
    row by row (an OR of such tests read all 100,000 initiatives), the array is computed once
    and the column's index answers it as a bitmap, which ORs with the other branches'."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column, ids):
        super().__init__()
        self.column, self.ids = F(column), ArraySubquery(ids)

    def get_source_expressions(self):
        return [self.column, self.ids]

    def set_source_expressions(self, expressions):
        self.column, self.ids = expressions

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        ids, ids_params = compiler.compile(self.ids)
        return f"{column} = ANY({ids})", (*column_params, *ids_params)


def _substring_search(initiatives, text):
    rank = Case(
        When(Q(title__icontains=text) | Q(title_zh_hans__icontains=text), then=Value(2)),
        When(Q(summary__icontains=text) | Q(summary_zh_hans__icontains=text), then=Value(1)),
        default=Value(0),
    )
    return (
        initiatives.filter(pk__in=_substring_matches(text, SEARCHED_FIELDS))
        .annotate(search_rank=rank)
        .order_by("-search_rank", "title", "pk")
    )


def _substring_matches(text, fields):
    matches = Q()
    for field in fields:
        matches |= Q(**{f"{field}__icontains": text})
    return _model("Initiative").objects.filter(matches).values("pk")


# Each language's text search configuration, as the stored vector holds its title and summary
# (migration 0037): "simple" for Chinese, which PostgreSQL cannot segment (substrings find it).
LANGUAGE_SEARCH_CONFIGS = {
    "en": "english",
    "zh-hans": "simple",
    "ar": "arabic",
    "fr": "french",
    "ru": "russian",
    "es": "spanish",
}


def languages_to_match():
    """The languages a search result's snippet is looked for in, in order: the reader's own,
    then English, then the others; the first whose title or summary matches is shown."""
    reader = reader_language()
    return list(dict.fromkeys([reader, "en", *(code for code, _name in settings.LANGUAGES)]))


def query_pattern(query):
    """A case-insensitive pattern matching any word of a search query, or None."""
    words = [re.escape(word) for word in re.findall(r"[^\s\"'+-]+", query or "") if word.lower() != "or"]
    if not words:
        return None
    return re.compile("|".join(sorted(words, key=len, reverse=True)), re.IGNORECASE)


def _column(field, language):
    # `title` and `summary` are English (catalogue/translation.py); the others have their own.
    return field if language == "en" else build_localized_fieldname(field, language)


def matched_language(record, text):
    """The code of the first of `languages_to_match()` whose title or summary of `record`
    contains a word of `text` (the SQLite fallback's substring rule), or None."""
    pattern = query_pattern(text)
    if pattern is None:
        return None
    for language in languages_to_match():
        if any(pattern.search(text_in(record, field, language)) for field in ("title", "summary")):
            return language
    return None


def with_headline(initiatives, text):
    """`initiatives` annotated `search_match` (PostgreSQL only; elsewhere unchanged): None when
    no title or summary matched `text` (an organisation's name or a key figure did), else
    [language, title headline, summary headline] of the first of `languages_to_match()` whose
    title or summary matches, the matched words between HEADLINE_START and HEADLINE_STOP; the
    headlines are None for Chinese (PostgreSQL cannot find its words; the card marks its
    substrings). Headlines are computed only for the rows of the page (PostgreSQL evaluates
    the select list after the sort and the limit)."""
    text = text.strip()
    if not text or connections[initiatives.db].vendor != "postgresql":
        return initiatives
    shape = (tuple(languages_to_match()), tuple(CJK_RUN.findall(text)))
    return initiatives.annotate(
        search_match=Precompiled(_search_headlines, [text], shape, ArrayField(TextField()))
    )


def _search_headlines(text, languages, chinese_terms):
    query = search_query(text)
    cases = []
    for language in languages:
        config = LANGUAGE_SEARCH_CONFIGS[language]
        title, summary = _column("title", language), _column("summary", language)
        matches = SearchVectorExact(SearchVector(title, summary, config=config), query)
        if language == "zh-hans":
            for term in chinese_terms:
                matches = Q(matches) | Q(**{f"{title}__contains": term}) | Q(**{f"{summary}__contains": term})
            headlines = [Value(None, output_field=TextField())] * 2
        else:
            headlines = [
                SearchHeadline(
                    title,
                    query,
                    config=config,
                    start_sel=HEADLINE_START,
                    stop_sel=HEADLINE_STOP,
                    highlight_all=True,
                ),
                SearchHeadline(
                    summary,
                    query,
                    config=config,
                    start_sel=HEADLINE_START,
                    stop_sel=HEADLINE_STOP,
                    max_words=45,
                    min_words=25,
                ),
            ]
        cases.append(When(matches, then=TextArray(Value(language), *headlines)))
    return Case(*cases, default=None, output_field=ArrayField(TextField()))


class TextArray(Func):
    """`ARRAY[<expressions>]`, of text."""

    template = "ARRAY[%(expressions)s]::text[]"
    output_field = ArrayField(TextField())


# How alike two titles must be to flag a possible duplicate: pg_trgm's similarity on
# PostgreSQL; difflib's ratio elsewhere, whose scale runs higher for the same pair.
TITLE_SIMILARITY = 0.6
TITLE_RATIO = 0.75
# On SQLite, at most this many titles sharing a word with the new one are compared in Python.
TITLE_CANDIDATES = 500


def similar_titles(initiatives, title, *, limit):
    """(primary key, similarity from 0 to 1) of at most `limit` of `initiatives` whose titles
    look like `title`, most alike first.

    PostgreSQL: pg_trgm similarity, whose `%` operator the trigram index on the title answers
    (migration 0009), instead of comparing every title in Python. Elsewhere: difflib over the
    titles sharing a word with `title`, at most TITLE_CANDIDATES of them, so that the cost is
    bounded there too (a title sharing no word of four letters or more is not found).
    """
    title = title.strip()
    if not title:
        return []
    if connections[initiatives.db].vendor == "postgresql":
        return list(
            initiatives.filter(title__trigram_similar=title)
            .annotate(similarity=TrigramSimilarity("title", title))
            .filter(similarity__gte=TITLE_SIMILARITY)
            .order_by("-similarity", "pk")
            .values_list("pk", "similarity")[:limit]
        )
    words = sorted({word for word in re.findall(r"\w{4,}", title)}, key=len, reverse=True)[:3]
    if not words:
        return []
    sharing_a_word = Q()
    for word in words:
        sharing_a_word |= Q(title__icontains=word)
    candidates = initiatives.filter(sharing_a_word).order_by("-pk").values_list("pk", "title")
    folded = title.casefold()
    ratios = [
        (difflib.SequenceMatcher(None, folded, other.casefold()).ratio(), pk)
        for pk, other in candidates[:TITLE_CANDIDATES]
    ]
    return [(pk, ratio) for ratio, pk in sorted(ratios, reverse=True)[:limit] if ratio >= TITLE_RATIO]


# How close a typed organisation name must come to a catalogue name to be suggested: pg_trgm's
# word similarity on PostgreSQL (how well the typed name matches some stretch of the catalogue
# name, so "UNICEF" matches "UNICEF China" fully), above pg_trgm's own threshold (0.6); difflib's
# ratio elsewhere.
NAME_RATIO = 0.6
# On SQLite, at most this many names sharing a word with the typed one are compared in Python.
NAME_CANDIDATES = 200


def near_names(records, name, *, limit):
    """At most `limit` of `records` (with `name` and `name_zh_hans` fields) whose names look like
    `name`, most alike first: the suggestions offered for an organisation name that matches
    none exactly. Never reads every name into Python: on PostgreSQL pg_trgm ranks them in the
    database (as `similar_titles` does for titles); elsewhere difflib ranks the names that
    share a word of three letters or more with `name`, at most NAME_CANDIDATES of them. A
    Chinese name is matched by substring on both."""
    name = name.strip()
    if not name:
        return []
    in_chinese = Q(name_zh_hans__contains=name)
    if connections[records.db].vendor == "postgresql":
        # `%>` (word similarity above pg_trgm.word_similarity_threshold, 0.6 by default) is
        # what the trigram index on the name answers (migration 0032); a name with other than
        # ASCII letters is also looked for in the Chinese names, by substring.
        near = Q(pk__in=records.filter(name__trigram_word_similar=name).values("pk"))
        if not name.isascii():  # perhaps a Chinese name
            near |= Q(pk__in=records.filter(in_chinese).values("pk"))
        return list(
            records.filter(near)
            .annotate(similarity=TrigramWordSimilarity(Value(name), "name"))
            .order_by("-similarity", Lower("name"), "pk")[:limit]
        )
    words = sorted({word for word in re.findall(r"\w{3,}", name)}, key=len, reverse=True)[:3]
    sharing_a_word = in_chinese
    for word in words:
        sharing_a_word |= Q(name__icontains=word)
    folded = name.casefold()
    scored = []
    for record in records.filter(sharing_a_word).order_by(Lower("name"), "pk")[:NAME_CANDIDATES]:
        other = record.name.casefold()
        ratio = 1.0 if folded in other or name in record.name_zh else 0.0
        ratio = max(ratio, difflib.SequenceMatcher(None, folded, other).ratio())
        if ratio >= NAME_RATIO:
            scored.append((-ratio, other, record.pk, record))
    return [record for *_key, record in sorted(scored)[:limit]]
