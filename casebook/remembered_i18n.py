"""`{% load i18n %}`, with `{% translate "…" %}` of a constant message remembered per language.

A case page has some forty `{% translate "…" %}` tags. Each looks its message up through the
active catalogue's chain of fallbacks on every render, about a tenth of the page's Python
(issue 9's q6). The answer to a constant message depends only on the active language and on
autoescaping, which are the key, and on the translation catalogues, which a process loads once:
what is remembered is forgotten when they are reloaded (runserver does that when a .mo file
changes) or when a test changes the language settings.

Every other form (a variable, a filter, `as`, `noop`, a message context that is a variable,
`{% blocktranslate %}`) is Django's own tag. The template engine (casebook/template_engine.py)
loads this module for `{% load i18n %}`, so templates load it as they always did; everything
else in Django's library is here unchanged.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Variable
from django.templatetags import i18n
from django.utils.autoreload import file_changed
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class _Catalogues:
    # Moves on whenever the translation catalogues may have changed: what nodes remember from
    # before is then forgotten.
    generation = 0


class RememberedTranslateNode(i18n.TranslateNode):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (language, autoescape) -> the rendered message, kept on the node, so that it goes
        # with its template.
        self.remembered, self.remembered_in = {}, _Catalogues.generation

    def render(self, context):
        if self.remembered_in != _Catalogues.generation:
            self.remembered, self.remembered_in = {}, _Catalogues.generation
        key = (get_language(), context.autoescape)
        try:
            return self.remembered[key]
        except KeyError:
            value = self.remembered[key] = super().render(context)
            return value


def _is_constant(filter_expression):
    """A literal (a quoted string), not a variable, with no filter."""
    value = filter_expression.var
    return not filter_expression.filters and (not isinstance(value, Variable) or value.literal is not None)


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    constant = _is_constant(node.filter_expression) and (
        node.message_context is None or _is_constant(node.message_context)
    )
    if not constant or node.noop or node.asvar:
        return node
    return RememberedTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


@receiver(file_changed)
def _forget_on_reloaded_catalogue(sender, file_path, **kwargs):
    if file_path.suffix == ".mo":
        _Catalogues.generation += 1


@receiver(setting_changed)
def _forget_on_language_settings(setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "USE_I18N"}:
        _Catalogues.generation += 1
