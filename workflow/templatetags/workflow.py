from django import template

from workflow.transitions import is_editor as _is_editor

register = template.Library()


@register.filter
def is_editor(user):
    """`{% if user|is_editor %}`: the workflow's one rule for who reviews submissions."""
    return _is_editor(user)
