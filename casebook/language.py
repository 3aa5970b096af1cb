"""The language switch in every page's header, protected without a CSRF token.

Django's `set_language` is a POST that CsrfViewMiddleware protects with a token in the form,
which means a secret and a cookie for every reader of every page, and pages that differ from
reader to reader. The switch changes nothing but the reader's own language cookie, so it is
protected as Go's `http.CrossOriginProtection` protects a whole site instead: a browser says
in `Sec-Fetch-Site` (every current browser; `Origin` before it) where a request was sent from,
and a switch from any other site is refused. A client that sends neither is not a browser, or
too old to send a cross-site POST that could be told apart; it is let through, as Go does.

Every other form keeps Django's token: this is for the language switch alone.

Also `reader_language`: the language a request is answered in, for what runs before
LocaleMiddleware (the page cache's key, the outage page).
"""

from django.conf import settings
from django.urls import get_callable
from django.utils.translation import get_language_from_request
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt

# Sec-Fetch-Site values of a request the reader made on this site: from one of its pages, or
# typed, bookmarked or opened from outside the browser.
FROM_THIS_SITE = ("same-origin", "none")


def is_sent_from_this_site(request):
    origin = request.headers.get("Origin")
    if origin is not None and origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in FROM_THIS_SITE
    return origin is None or origin == f"{request.scheme}://{request.get_host()}"


@csrf_exempt
def set_language(request):
    """Django's `set_language` (it checks the language and the `next` address), for a request
    sent from this site; another site's is refused as Django refuses a missing token."""
    if request.method == "POST" and not is_sent_from_this_site(request):
        # The page Django answers a refused form with (CSRF_FAILURE_VIEW), a 403.
        refuse = get_callable(settings.CSRF_FAILURE_VIEW)
        return refuse(request, reason="The language switch was sent from another site.")
    return i18n.set_language(request)


def reader_language(request):
    """The language the answer to `request` is in: the one LocaleMiddleware chose, or, where it
    has not run yet, the one it will choose. The site's addresses carry no language prefix, so
    that is the language cookie's or the Accept-Language header's."""
    return getattr(request, "LANGUAGE_CODE", None) or get_language_from_request(request)
