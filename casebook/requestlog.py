"""One structured log line per request, and a request id that ties it to the errors it caused.

Each request gets an id: the one a trusted proxy sent in the header named by the
REQUEST_ID_HEADER setting (e.g. `X-Request-ID`), if it looks like one, else a new random one.
It is returned as `X-Request-ID` and put on every log record made while the request is
handled (`RequestIdFilter`), so an error line and the request line share it.

The request line (logger `casebook.request`) is a JSON object: method, path, status,
duration_ms, request_id, `cache` ("hit" or "miss") when the answer is one the public cache
keeps (catalogue/caching.py), and `error` when the request failed for a known reason (a
database outage, casebook/errors.py). 5xx lines are logged at ERROR, so even with REQUEST_LOG off.
Nothing secret is written: no headers, no cookies, the values of query parameters that look
like credentials replaced, and the token in a password-reset or confirmation link's path too.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from urllib.parse import parse_qsl, urlencode

from django.conf import settings

logger = logging.getLogger("casebook.request")

current_request_id = contextvars.ContextVar("request_id", default="-")

RESPONSE_HEADER = "X-Request-ID"
# Set by the public cache (catalogue/caching.py) to "hit" or "miss"; defined here, where the
# logging settings import it before any app is loaded.
CACHE_HEADER = "X-Cache"
# What an id from a proxy may look like (a UUID, a trace id); anything else is replaced.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
# Query parameters and URL arguments whose values are never logged.
SECRET_NAME = re.compile(r"token|key|password|secret|signature|code|uidb64", re.IGNORECASE)
REDACTED = "[redacted]"
# Health probes arrive every few seconds from a load balancer; only their failures are logged.
QUIET_PATHS = {"/healthz", "/readyz"}


def request_id_for(request):
    header = getattr(settings, "REQUEST_ID_HEADER", "")
    if header:
        sent = request.headers.get(header, "")
        if VALID_REQUEST_ID.fullmatch(sent):
            return sent
    return uuid.uuid4().hex


def loggable_path(request):
    """The path with any secret URL argument replaced (e.g. /accounts/reset/[redacted]/[redacted]/)."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if SECRET_NAME.search(name) and isinstance(value, str) and value:
                path = path.replace(value, REDACTED)
    return path


def loggable_query(request):
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    return urlencode([(name, REDACTED if SECRET_NAME.search(name) else value) for name, value in pairs])


class RequestLogMiddleware:
    """Outermost middleware: sets the request id, times the request, logs its line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id_for(request)
        token = current_request_id.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[RESPONSE_HEADER] = request.id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            if not (request.path in QUIET_PATHS and response.status_code == 200):
                self.log(request, response, duration_ms)
        finally:
            current_request_id.reset(token)
        return response

    @staticmethod
    def log(request, response, duration_ms):
        fields = {
            "method": request.method,
            "path": loggable_path(request),
            "status": response.status_code,
            "duration_ms": duration_ms,
            "request_id": request.id,
        }
        query = loggable_query(request)
        if query:
            fields["query"] = query
        # Whether the answer came from the cache: operators' (and bench/run's) hit rate.
        if CACHE_HEADER in response:
            fields["cache"] = response[CACHE_HEADER]
        # Why a failure that was answered without a traceback failed (e.g. the database is down).
        if getattr(request, "log_error", None):
            fields["error"] = request.log_error
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        logger.log(level, json.dumps(fields, ensure_ascii=False), extra={"request": fields})


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (`-` outside a request)."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        return True
