"""Whole cases restricted to a community: the steps that restrict one and open it again, and
what a reader of one sees.

A members-only case is out of the public catalogue by its status (`Initiative.Status
.MEMBERS_ONLY`: `published()` leaves it out, so every list, search, facet count, API answer,
export, feed, sitemap and download does, and the data version moves as for an unpublishing);
its `MembersOnlyCase` row says whose members read it. The catalogue's case page asks
`readable_initiatives` (settings.MEMBERS_ONLY_READERS) which ones a reader may open; anyone
else gets the 404 of a case that does not exist."""

from django.db import transaction
from django.utils.translation import gettext

from catalogue.models import Initiative
from workflow import transitions

from .models import AccessRecord, MembersOnlyCase


def readable_initiatives(user):
    """The ids of the members-only cases `user` may read (settings.MEMBERS_ONLY_READERS)."""
    return MembersOnlyCase.objects.readable_by(user).values("initiative")


def restrict(initiative, community, editor, note=""):
    """Make `initiative` members only for `community`: a status change recorded in its
    history like any other (TransitionNotAllowed from a draft, say), and the community."""
    with transaction.atomic():
        change = transitions.restrict_to_members(initiative, editor, note)
        MembersOnlyCase.objects.update_or_create(
            initiative=initiative, defaults={"community": community, "restricted_by": editor}
        )
    return change


def open_to_everyone(initiative, editor, note=""):
    """Publish a members-only case for everyone: the workflow's publish step."""
    with transaction.atomic():
        change = transitions.publish(initiative, editor, note)
        MembersOnlyCase.objects.filter(initiative=initiative).delete()
    return change


def read_case(initiative, user):
    """The MembersOnlyCase of `initiative` when it is members only (None otherwise, with no
    query), recorded in the access log as read by `user`. Only someone who may read it
    reaches its page (Initiative.objects.readable_by)."""
    if initiative.status != Initiative.Status.MEMBERS_ONLY:
        return None
    restriction = MembersOnlyCase.objects.select_related("community").filter(initiative=initiative).first()
    if user.is_authenticated:
        AccessRecord.objects.create(
            reader=user,
            initiative=initiative,
            # Its number, not its title: a former member's log must not keep members-only text.
            what=gettext("Members-only case no. %(number)s") % {"number": initiative.pk},
        )
    return restriction
