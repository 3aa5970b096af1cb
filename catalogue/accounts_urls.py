from django.urls import path

from . import accounts_views

app_name = "accounts"

urlpatterns = [
    path("signup/", accounts_views.SignUpView.as_view(), name="signup"),
    path("signup/done/", accounts_views.SignUpDoneView.as_view(), name="signup-done"),
    path("confirm/<uidb64>/<token>/", accounts_views.ConfirmEmailView.as_view(), name="confirm"),
    path("profile/", accounts_views.ProfileView.as_view(), name="profile"),
    path("api-token/", accounts_views.ApiTokenView.as_view(), name="api-token"),
]
