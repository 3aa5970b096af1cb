from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("signup/done/", views.SignUpDoneView.as_view(), name="signup-done"),
    path("confirm/<uidb64>/<token>/", views.ConfirmEmailView.as_view(), name="confirm"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("api-token/", views.ApiTokenView.as_view(), name="api-token"),
]
