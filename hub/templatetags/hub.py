from django import template

from hub.models import Community, Membership

register = template.Library()


@register.simple_tag
def memberships_of(user):
    """`{% memberships_of user as memberships %}`: the person's applications and memberships,
    newest first, for their profile (accounts' pages show them without importing the hub)."""
    return list(Membership.objects.of(user).for_profile())


@register.simple_tag
def communities_open_to(user):
    """`{% communities_open_to user as communities %}`: those the person may apply to now."""
    return list(Community.objects.open_to(user))


@register.simple_tag(takes_context=True)
def members_only_of(context, initiative):
    """`{% members_only_of initiative as members_only %}`: what the reader may read of the
    case's members-only parts and experience reports (hub/restricted.py), logged as read."""
    from hub.restricted import members_only

    return members_only(initiative, context["request"].user)


@register.simple_tag(takes_context=True)
def members_only_case_of(context, initiative):
    """`{% members_only_case_of initiative as restriction %}`: the community a members-only
    case is restricted to (None for a public case), logged as read (hub/cases.py)."""
    from hub.cases import read_case

    return read_case(initiative, context["request"].user)
