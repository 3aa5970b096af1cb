import difflib
import re

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from catalogue.languages import texts_given as _texts_given
from workflow.transitions import is_editor as _is_editor

register = template.Library()


@register.filter
def is_editor(user):
    """`{% if user|is_editor %}`: the workflow's one rule for who reviews submissions."""
    return _is_editor(user)


@register.filter
def texts_given(initiative):
    """The title and summary in each language the submission gives (catalogue.languages)."""
    return _texts_given(initiative)


# Words and the spaces between them; each Chinese character is a word of its own (Chinese
# text has no spaces, and a whole summary as one "word" would show no detail).
TOKENS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3400-\u9fff\uf900-\ufaff]+|\s+")


@register.simple_tag
def word_diff(before, after):
    """`{% word_diff before after %}`: `after`, with the words removed since `before` in <del>
    and those added in <ins>, each announced to screen readers ("removed:", "added:"), and
    line breaks kept. Both are escaped; difflib over one field's words is cheap."""
    old, new = TOKENS.findall(before or ""), TOKENS.findall(after or "")
    removed, added = _("removed:"), _("added:")
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            parts.append(_text("".join(new[b_start:b_end])))
            continue
        if a_end > a_start:
            text = _text("".join(old[a_start:a_end]))
            parts.append(format_html('<del><span class="visually-hidden">{} </span>{}</del>', removed, text))
        if b_end > b_start:
            text = _text("".join(new[b_start:b_end]))
            parts.append(format_html('<ins><span class="visually-hidden">{} </span>{}</ins>', added, text))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every part is escaped above)


def _text(text):
    return linebreaksbr(text, autoescape=True)
