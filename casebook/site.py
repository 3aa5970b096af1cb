"""The address of the site, for links in mail (which is read outside any request).

SITE_URL, when set, is the one answer (production sets it once). Unset, links point where the
request that caused the mail came to: `./dev.sh run` on another port, a preview host, a
colleague's machine on the network all get links that open. A mail with no request behind it
(a management command, the worker's digest) falls back to the development server's address.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core import checks

DEVELOPMENT_URL = "http://127.0.0.1:8000"

_current_request = ContextVar("current_request", default=None)


def site_url():
    """The scheme and host links in mail start with, with no trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    request = _current_request.get()
    # build_absolute_uri asks get_host(), so a host not in ALLOWED_HOSTS is refused before it
    # can become a link.
    return request.build_absolute_uri("/").rstrip("/") if request is not None else DEVELOPMENT_URL


def request_origin(get_response):
    """Remember the request being answered, for `site_url`: its address is worked out only
    when a mail needs it, not on every request."""

    def middleware(request):
        token = _current_request.set(request)
        try:
            return get_response(request)
        finally:
            _current_request.reset(token)

    return middleware


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    if settings.SITE_URL:
        return []
    return [
        checks.Warning(
            "SITE_URL is not set: links in mail will use the host of the request that caused "
            "them, and mail sent outside a request will link to the development server.",
            hint="Set SITE_URL to the site's public address, e.g. https://casebook.example.org.",
            id="casebook.W001",
        )
    ]
