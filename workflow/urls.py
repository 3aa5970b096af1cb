"""Two doors into the workflow, each with its own URL namespace: the partner's pages
(`submissions:`, mounted at the site root) and the editor's (`review:`, under /review/)."""

from django.urls import path

from .views import partner, review

partner_urls = (
    [
        path("submit/", partner.SubmissionFormView.as_view(), name="create"),
        path("submissions/", partner.SubmissionListView.as_view(), name="list"),
        path("submissions/<int:pk>/", partner.SubmissionDetailView.as_view(), name="detail"),
        path("submissions/<int:pk>/edit/", partner.SubmissionFormView.as_view(), name="edit"),
        path("submissions/<int:pk>/submit/", partner.SubmitForReviewView.as_view(), name="submit"),
        path("submissions/<int:pk>/withdraw/", partner.WithdrawView.as_view(), name="withdraw"),
        path("submissions/<int:pk>/delete/", partner.DeleteDraftView.as_view(), name="delete"),
    ],
    "submissions",
)

review_urls = (
    [
        path("", review.ReviewQueueView.as_view(), name="queue"),
        path("<int:pk>/", review.ReviewDetailView.as_view(), name="detail"),
        path("<int:pk>/claim/", review.ClaimView.as_view(), name="claim"),
        path("<int:pk>/duplicate/", review.MarkDuplicateView.as_view(), name="duplicate"),
        path("<int:pk>/release/", review.ReleaseView.as_view(), name="release"),
        path("<int:pk>/edit/", review.EditSubmissionView.as_view(), name="edit"),
        path("<int:pk>/comments/", review.CommentView.as_view(), name="comment"),
    ],
    "review",
)
