from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import EmailAuthenticationForm
from workflow.urls import partner_urls, review_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Django's sign-in (with the email as username), sign-out and password reset views.
    path("accounts/login/", auth_views.LoginView.as_view(form_class=EmailAuthenticationForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("review/", include(review_urls)),
    path("", include(partner_urls)),
    path("", include("catalogue.urls")),
]
