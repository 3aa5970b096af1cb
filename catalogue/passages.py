"""Cited passages found in a source document's text, so a reader can check a quote in its
context: each quote is located (ignoring differences in spacing and line breaks), marked, and
anchored by the citation or alignment that quotes it."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe


@dataclass
class Passage:
    anchor: str  # the element id a link to this passage targets
    quote: str
    initiative: object  # the case (or report or event) that quotes it
    span: tuple | None = None  # (start, end) in the text, once located


def locate(text, quote):
    """(start, end) of `quote`'s first occurrence in `text`, whitespace-insensitive; or None."""
    words = quote.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(word) for word in words), text)
    return match.span() if match else None


def marked_text(text, passages):
    """(HTML of `text` with every located passage in a <mark> holding its anchors, the
    passages not found). Overlapping passages share one mark, each anchored where it starts."""
    for passage in passages:
        passage.span = locate(text, passage.quote)
    found = sorted((p for p in passages if p.span), key=lambda p: p.span)
    groups = []  # [start, end, [passages]]
    for passage in found:
        start, end = passage.span
        if groups and start < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], end)
            groups[-1][2].append(passage)
        else:
            groups.append([start, end, [passage]])
    html, position = [], 0
    for start, end, members in groups:
        html.append(escape(text[position:start]))
        titles = "; ".join(dict.fromkeys(member.initiative.display_title for member in members))
        html.append(f'<mark title="{escape(titles)}">')
        cursor = start
        for member in members:
            member_start = member.span[0]
            html.append(escape(text[cursor:member_start]))
            html.append(f'<span class="anchor" id="{escape(member.anchor)}"></span>')
            cursor = member_start
        html.append(escape(text[cursor:end]))
        html.append("</mark>")
        position = end
    html.append(escape(text[position:]))
    return mark_safe("".join(html)), [p for p in passages if not p.span]  # noqa: S308 (escaped above)
