from django.urls import path

from . import submission_views

app_name = "submissions"

urlpatterns = [
    path("submit/", submission_views.SubmissionFormView.as_view(), name="create"),
    path("submissions/", submission_views.SubmissionListView.as_view(), name="list"),
    path("submissions/<int:pk>/", submission_views.SubmissionDetailView.as_view(), name="detail"),
    path("submissions/<int:pk>/edit/", submission_views.SubmissionFormView.as_view(), name="edit"),
    path("submissions/<int:pk>/submit/", submission_views.SubmitForReviewView.as_view(), name="submit"),
]
