from django.urls import path

from . import review_views

app_name = "review"

urlpatterns = [
    path("", review_views.ReviewQueueView.as_view(), name="queue"),
    path("<int:pk>/", review_views.ReviewDetailView.as_view(), name="detail"),
]
