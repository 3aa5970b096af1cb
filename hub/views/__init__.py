"""The members' tier's pages: memberships (communities, vetting, the directory and contact)
and the members-only content of records (restricted parts, experience reports, access log)."""

from .memberships import (  # noqa: F401
    ApplyView,
    CommunityDetailView,
    CommunityListView,
    ContactView,
    MemberDirectoryView,
    MemberRequiredMixin,
    MembershipQueueView,
    MembershipReviewView,
    ReplyView,
)
from .restricted import (  # noqa: F401
    AccessLogView,
    CaseRestrictionView,
    ExperienceReportCreateView,
    MembersOnlyCaseListView,
    ReportModerationView,
    ReportQueueView,
    RestrictedPartDeleteView,
    RestrictedPartEditView,
    RestrictedPartListView,
)
