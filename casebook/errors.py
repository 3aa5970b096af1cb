"""What a visitor or an API client gets when the server fails: never a bare 500.

A database that is down or unreachable is an outage, not a bug: every request answers 503
with `Retry-After` (an HTML page, or JSON under /api/), and the log gets one line per failed
request (the request log's, with the reason), not a traceback each. Any other crash is a 500:
the site's own page (templates/500.html, which needs no database) or the API's JSON error.

The database error can be raised in a view, while a lazy response (a template) is rendered,
or by a middleware (the session is saved, the user loaded). Django turns an exception inside
any middleware into a response on the spot, so no outer middleware ever sees it: views and
rendering are caught by `DatabaseUnavailableMiddleware.process_exception`, and the rest by the
500 handler, `server_error`, which looks at the exception being handled.
"""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

from api import errors as api_errors
from casebook.language import reader_language

# Seconds a client is asked to wait; a restarted database is usually back within a few.
RETRY_AFTER_SECONDS = 5


def is_database_unavailable(exc):
    """The database cannot be reached, or the connection died under the request.

    OperationalError and InterfaceError are what a refused, lost or closed connection
    raises; a plain DatabaseError counts only when a connection is actually gone (psycopg
    raises one for some mid-query disconnections), never for a bad query.
    """
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    if isinstance(exc, DatabaseError):
        return any(_connection_is_gone(connection) for connection in connections.all(initialized_only=True))
    return False


def _connection_is_gone(connection):
    raw = connection.connection
    return raw is not None and bool(getattr(raw, "closed", False))


def service_unavailable(request, exc):
    """503 with Retry-After: JSON under /api/ (the API's error shape), the site's page
    elsewhere; logged in one line here, so Django does not log it again with a traceback. In
    the reader's language even when the database failed before LocaleMiddleware ran (the page
    cache, outside it, reads the data version)."""
    with translation.override(reader_language(request)):
        detail = _("The catalogue is briefly unavailable. Please try again in a few seconds.")
        if api_errors.is_api_request(request):
            response = api_errors.error(detail, status=503)
        else:
            context = {"detail": detail, "retry_after": RETRY_AFTER_SECONDS}
            response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # One line per failure: the request's own log line (casebook/requestlog.py) says why;
    # Django's log_response() skips a response marked as logged, so no traceback either.
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    request.log_error = f"database unavailable ({type(exc).__name__}: {first_line})"
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 when a view, or the rendering of its response, finds the database down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return service_unavailable(request, exception)
        return None


def server_error(request):
    """Django's 500 handler (casebook/urls.py): a 503 when the exception being handled is a
    database outage, else the API's JSON 500 or the site's own 500 page."""
    exc = sys.exc_info()[1]
    if exc is not None and is_database_unavailable(exc):
        return service_unavailable(request, exc)
    return api_errors.server_error(request)
