"""The members' tier, mounted at the site root: communities, the editors' vetting queue
(under /review/members/, beside the submissions' queue) and the member directory."""

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
]
