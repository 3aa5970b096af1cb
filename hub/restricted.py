"""What a reader sees of a record's members-only content, decided once for the case page.

The case page (the catalogue's template) includes `hub/partials/case_members_only.html`, whose
template tag asks `members_only()` here: the catalogue never imports the hub. Every time
members-only text is shown, an AccessRecord says who read what and when: the one write a page
view makes, because the log is a record of reading."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext

from catalogue.models.compiled import compiled_once
from workflow.transitions import is_editor

from .models import AccessRecord, Community, ExperienceReport, Membership, RestrictedPart


@dataclass
class MembersOnly:
    """A record's members-only content as one reader sees it."""

    parts: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    # Communities holding content this reader may not read: named in the plain statement.
    closed_to: list = field(default_factory=list)
    # The active membership a member reports under (none: they may not post).
    membership: Membership | None = None
    is_editor: bool = False


def communities_with_content(initiative):
    """The communities with a part or an approved report on `initiative` (a list). Every case
    page asks, for every reader: the query is compiled once per process (building its two
    EXISTS cost eight times running them)."""
    return _communities_with_content(initiative.pk, using=initiative._state.db)


@compiled_once
def _communities_with_content(initiative_id):
    parts = RestrictedPart.objects.filter(initiative=initiative_id, community=OuterRef("pk"))
    reports = ExperienceReport.objects.approved().filter(initiative=initiative_id, community=OuterRef("pk"))
    return Community.objects.filter(Q(Exists(parts)) | Q(Exists(reports)))


def members_only(initiative, user):
    """What `user` may read of `initiative`'s members-only content, recorded in the access
    log when there is any. An anonymous reader costs one query (which communities hold
    something), and never any text."""
    if not user.is_authenticated:
        return MembersOnly(closed_to=list(communities_with_content(initiative)))
    editor = is_editor(user)
    memberships = list(Membership.objects.of(user).active().select_related("community"))
    mine = {membership.community_id for membership in memberships}
    seen = MembersOnly(
        parts=list(RestrictedPart.objects.readable_by(user).of(initiative)),
        reports=list(ExperienceReport.objects.readable_by(user).on(initiative)),
        closed_to=[] if editor else [c for c in communities_with_content(initiative) if c.pk not in mine],
        membership=memberships[0] if memberships else None,
        is_editor=editor,
    )
    record_reading(user, initiative, seen)
    return seen


def record_reading(user, initiative, seen):
    """One access record per part and per approved report shown (in one insert)."""
    records = [
        AccessRecord(
            reader=user,
            initiative=initiative,
            part=part,
            what=gettext("%(kind)s on “%(title)s”")
            % {"kind": part.get_kind_display(), "title": initiative.title},
        )
        for part in seen.parts
    ]
    records += [
        AccessRecord(
            reader=user,
            initiative=initiative,
            report=report,
            # Its number, not its words: a former member's log must not keep members-only text.
            what=gettext("Experience report no. %(number)s on “%(title)s”")
            % {"number": report.pk, "title": initiative.title},
        )
        for report in seen.reports
        if report.status == ExperienceReport.Status.APPROVED and report.author_id != user.pk
    ]
    if records:
        AccessRecord.objects.bulk_create(records)
