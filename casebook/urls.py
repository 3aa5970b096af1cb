from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from accounts.forms import EmailAuthenticationForm
from accounts.views import PasswordResetView
from api import errors as api_errors
from casebook import errors, language
from workflow.urls import partner_urls, review_urls

# Django tries the patterns in order, on every request: the API and the catalogue's pages,
# which most requests are for, come first (a case page was found after ~40 patterns of the
# hub and the partners' forms: 68 µs of a cached answer's ~700, now 29). No two of these
# prefixes overlap, so the order changes no page's address (tests/test_urls.py).
urlpatterns = [
    path("api/v1/", include("api.urls")),
    # Whatever else starts with api/ (a missing trailing slash, /api/v2/, a typo) is answered
    # in JSON too, not by the site's pages.
    re_path(r"^api/", api_errors.unknown_path),
    path("", include("catalogue.urls")),
    path("admin/", admin.site.urls),
    # Django's language switch, with no CSRF token in the form (casebook/language.py says why).
    path("i18n/setlang/", language.set_language, name="set_language"),
    # Django's sign-in (with the email as username), sign-out and password reset views.
    path("accounts/login/", auth_views.LoginView.as_view(form_class=EmailAuthenticationForm), name="login"),
    # Reset mail is queued and limited (accounts/views.py); the other steps are Django's.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    # Before the workflow's review/: the hub's editors' queue lives at review/members/.
    path("", include("hub.urls")),
    path("review/", include(review_urls)),
    path("", include(partner_urls)),
]

# Errors Django handles itself: JSON under /api/, the site's own pages elsewhere.
handler400 = api_errors.bad_request
handler403 = api_errors.permission_denied
handler404 = api_errors.page_not_found
# A crash: the API's JSON or templates/500.html; a database outage: 503 (casebook/errors.py).
handler500 = errors.server_error
