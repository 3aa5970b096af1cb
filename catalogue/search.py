"""Free-text search over initiatives, for the list page and the API (through
`InitiativeQuerySet.search` and `.with_search_headline`).

On PostgreSQL: full-text search in English over the text columns below, each GIN-indexed by
migration 0002 with exactly these expressions (an expression index is only used when the
query repeats its expression). PostgreSQL's parsers do not segment Chinese, so a query
containing Chinese characters also matches the Chinese fields by substring. Elsewhere
(SQLite): a substring match over every field in SEARCHED_FIELDS.
"""

import re

from django.apps import apps
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Case, Q, Value, When

SEARCH_CONFIG = "english"
SEARCHED_FIELDS = [
    "title",
    "title_zh",
    "summary",
    "summary_zh",
    "description",
    "lead_organisation__name",
    "lead_organisation__name_zh",
    "partners__name",
    "partners__name_zh",
    "key_figures__text",
    "key_figures__text_zh",
]
CHINESE_SEARCHED_FIELDS = [field for field in SEARCHED_FIELDS if field.endswith("_zh")]
CJK_CHARACTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
CJK_RUN = re.compile(CJK_CHARACTER.pattern + "+")
# Private-use characters mark the matched words in a search headline; a template filter
# escapes the text and only then turns them into <mark> elements.
HEADLINE_START, HEADLINE_STOP = "\ue000", "\ue001"


def initiative_search_vector():
    return SearchVector("title", "summary", "description", config=SEARCH_CONFIG)


def organisation_search_vector():
    return SearchVector("name", config=SEARCH_CONFIG)


def key_figure_search_vector():
    return SearchVector("text", config=SEARCH_CONFIG)


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
    Initiative, Organisation, KeyFigure = _model("Initiative"), _model("Organisation"), _model("KeyFigure")
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    # Each branch is a subquery its own GIN index can answer.
    organisations = Organisation.objects.annotate(vector=organisation_search_vector()).filter(vector=query)
    matches = (
        Q(pk__in=Initiative.objects.annotate(vector=initiative_search_vector()).filter(vector=query))
        | Q(pk__in=Initiative.objects.filter(lead_organisation__in=organisations))
        | Q(
            pk__in=Initiative.partners.through.objects.filter(organisation__in=organisations).values(
                "initiative"
            )
        )
        | Q(
            pk__in=KeyFigure.objects.annotate(vector=key_figure_search_vector())
            .filter(vector=query)
            .values("initiative")
        )
    )
    weighted = (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", "lead_organisation__name", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", weight="C", config=SEARCH_CONFIG)
    )
    rank = SearchRank(weighted, query)
    chinese_terms = CJK_RUN.findall(text)
    if chinese_terms:
        in_title, in_summary = Q(), Q()
        for term in chinese_terms:
            matches |= Q(pk__in=_substring_matches(term, CHINESE_SEARCHED_FIELDS))
            in_title |= Q(title_zh__icontains=term)
            in_summary |= Q(summary_zh__icontains=term)
        rank = rank + Case(
            When(in_title, then=Value(1.0)), When(in_summary, then=Value(0.5)), default=Value(0.0)
        )
    return initiatives.filter(matches).annotate(search_rank=rank).order_by("-search_rank", "title")


def _substring_search(initiatives, text):
    rank = Case(
        When(Q(title__icontains=text) | Q(title_zh__icontains=text), then=Value(2)),
        When(Q(summary__icontains=text) | Q(summary_zh__icontains=text), then=Value(1)),
        default=Value(0),
    )
    return (
        initiatives.filter(pk__in=_substring_matches(text, SEARCHED_FIELDS))
        .annotate(search_rank=rank)
        .order_by("-search_rank", "title")
    )


def _substring_matches(text, fields):
    matches = Q()
    for field in fields:
        matches |= Q(**{f"{field}__icontains": text})
    return _model("Initiative").objects.filter(matches).values("pk")


def with_headline(initiatives, text):
    """`initiatives` annotated `search_headline`: the summary passage matching `text`, its
    matched words between HEADLINE_START and HEADLINE_STOP (PostgreSQL only; elsewhere
    unchanged)."""
    text = text.strip()
    if not text or connections[initiatives.db].vendor != "postgresql":
        return initiatives
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    headline = SearchHeadline(
        "summary",
        query,
        config=SEARCH_CONFIG,
        start_sel=HEADLINE_START,
        stop_sel=HEADLINE_STOP,
        max_words=45,
        min_words=25,
    )
    return initiatives.annotate(search_headline=headline)
