"""The members' tier, mounted at the site root: communities, the editors' vetting queue
(under /review/members/, beside the submissions' queue), the member directory, and the
members-only content of records: editors' restricted parts (/review/restricted/), members'
experience reports and their moderation (/review/reports/), and the access log."""

from django.urls import path

from . import views

app_name = "hub"

urlpatterns = [
    path("communities/", views.CommunityListView.as_view(), name="community-list"),
    path("communities/<slug:slug>/", views.CommunityDetailView.as_view(), name="community-detail"),
    path("communities/<slug:slug>/apply/", views.ApplyView.as_view(), name="apply"),
    path("review/members/", views.MembershipQueueView.as_view(), name="membership-queue"),
    path("review/members/<int:pk>/", views.MembershipReviewView.as_view(), name="membership-review"),
    path("members/", views.MemberDirectoryView.as_view(), name="member-directory"),
    path("members/<int:pk>/contact/", views.ContactView.as_view(), name="member-contact"),
    path("members/messages/<int:pk>/reply/", views.ReplyView.as_view(), name="message-reply"),
    path("members/access-log/", views.AccessLogView.as_view(), name="access-log"),
    path("members/cases/", views.MembersOnlyCaseListView.as_view(), name="members-only-cases"),
    path(
        "members/cases/<slug:slug>/report/", views.ExperienceReportCreateView.as_view(), name="report-create"
    ),
    path("review/reports/", views.ReportQueueView.as_view(), name="report-queue"),
    path("review/reports/<int:pk>/", views.ReportModerationView.as_view(), name="report-moderate"),
    path(
        "review/restricted/<slug:slug>/", views.RestrictedPartListView.as_view(), name="restricted-part-list"
    ),
    path(
        "review/restricted/<slug:slug>/whole/", views.CaseRestrictionView.as_view(), name="case-restriction"
    ),
    path(
        "review/restricted/parts/<int:pk>/",
        views.RestrictedPartEditView.as_view(),
        name="restricted-part-edit",
    ),
    path(
        "review/restricted/parts/<int:pk>/delete/",
        views.RestrictedPartDeleteView.as_view(),
        name="restricted-part-delete",
    ),
]
