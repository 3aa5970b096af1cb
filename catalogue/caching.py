"""Whole responses of the public reads, cached under the catalogue's data version.

Every change a reader can see moves the catalogue revision (catalogue/revisions.py), and every
entry holds the revision it was rendered at, so a publish, an unpublish or an edit is never
served stale: the next request reads the new revision, finds the entry older, renders and
replaces it. Each request (its address, language and format) has one entry. With production's
cache (Redis) the revision is kept there too and read with the entry, in one round trip
(catalogue/shared_version.py); otherwise it is read from the database (one query).

Only anonymous reads are cached or served from the cache: a request with a session cookie, a
pending message or credentials is rendered for its reader (it may show their name, a review
link or a message). An answer that sets a cookie or holds a CSRF token is the reader's own too,
and is not kept (the language form needs no token: casebook/language.py).

The pages are answered by `PublicCacheMiddleware`, right after the request log and the
outage handling and before the rest of the middleware, the session, the CSRF check, the user
and the view: a page from the cache costs one read of the cache, and is kept with every header
the middleware after it gave it (the security and language headers included). Which pages:
the views marked with `cache_public_response` (the list pages, the case pages, the vocabulary
pages, the feed, the sitemaps). The API looks its answers up in its own views
(api/views/catalogue.py), after its rate limits and with the format it negotiated. The cache
is Django's (CACHE_URL: Redis in production, shared by the workers); `dummy://` turns it off.
"""

import hashlib
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from casebook.language import reader_language  # PublicCacheMiddleware is outside LocaleMiddleware
from casebook.requestlog import CACHE_HEADER  # says whether an answer came from the cache

from .dataset import current_version as dataset_version
from .revisions import version_and_cached_entry, version_for

# How long the entry of a request nobody makes any more takes up room.
CACHE_SECONDS = 600
# The request's key, between the lookup and the store of the same request.
KEY_ATTRIBUTE = "_public_cache_key"
# A streamed answer (a CSV or BibTeX download) is kept when it ends within this many bytes: a
# filtered download of some thousands of rows is, the whole catalogue (tens of MB at 100,000
# initiatives) is not, and streams from the database every time, as before.
STREAM_KEPT_UP_TO = 8 * 1024 * 1024


def caching_is_on():
    """False under `CACHE_URL=dummy://`: then no key is worth computing (it costs the data
    version's query) for a cache that keeps nothing."""
    return not isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache)


def is_cacheable_request(request):
    """An anonymous read: nothing in it makes the answer personal."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "Authorization" not in request.headers
    )


def cache_key(request, variant=()):
    """Everything of the request the answer depends on (`variant`: what else does, such as the
    API's format) but the data version, which the entry holds: a request has one entry, which
    the answer at the next version replaces. The first part changes when what is stored does
    (v5: the headers of every middleware within PublicCacheMiddleware), so that no entry of the
    code before is read; the dataset release is in the key because its header is stored."""
    parts = [
        "v5",
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        reader_language(request),
        dataset_version(),
        *variant,
    ]
    return "public-response:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_response(request, variant=()):
    """The stored answer to this request at the current data version, or None (and the
    request remembers its key, for `store_when_rendered`)."""
    if not (is_cacheable_request(request) and caching_is_on()):
        return None
    key = cache_key(request, variant)
    setattr(request, KEY_ATTRIBUTE, key)
    version, stored = version_and_cached_entry(request, key)
    if stored is None:
        return None
    stored_version, status, headers, content = stored
    if stored_version != version:  # rendered before the last change
        return None
    headers = {**headers, CACHE_HEADER: "hit"}
    if isinstance(content, list):  # a streamed download's chunks: streamed again
        response = StreamingHttpResponse(content, status=status, headers=headers)
    else:
        response = HttpResponse(content, status=status, headers=headers)
    response.from_public_cache = True
    # A conditional request still gets its 304 (the API's answers carry validators).
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


def store_when_rendered(request, response):
    """Keep this answer for the next reader of the same request, once it is rendered (or,
    streamed, once it has been sent whole)."""
    key = getattr(request, KEY_ATTRIBUTE, None)
    if key is None or getattr(response, "from_public_cache", False) or not is_storable(response):
        return response
    response[CACHE_HEADER] = "miss"

    def store(rendered, content):
        """`content`: the rendered bytes, or a streamed answer's list of chunks."""
        # The view set a cookie of its own, or rendered a form with a CSRF token (which
        # Django pairs with the reader's own cookie, set on the way out): personal.
        if rendered.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return
        # Every header the answer has where it is kept; the middleware outside adds its own
        # to every answer, a stored one included.
        headers = {name: value for name, value in rendered.items() if name != CACHE_HEADER}
        cache.set(key, (version_for(request), rendered.status_code, headers, content), CACHE_SECONDS)

    if response.streaming:
        response.streaming_content = _kept_when_whole(response, response.streaming_content, store)
    elif hasattr(response, "add_post_render_callback") and not response.is_rendered:
        response.add_post_render_callback(lambda rendered: store(rendered, rendered.content))
    else:
        store(response, response.content)
    return response


def _kept_when_whole(response, chunks, store):
    """`response`'s `chunks`, passed on as they come and collected on the side while they stay
    within STREAM_KEPT_UP_TO; stored once the last one is sent, as the list of chunks (a
    worker that joined them into one 2 MB string, and read it back so, grew by 70 MB over a
    few hundred downloads in the allocator's free lists; chunks of a few hundred KB are
    reused). A reader who stops reading (the server closes the generator) or an error
    half-way leaves nothing stored."""
    collected, size = [], 0
    for chunk in chunks:
        yield chunk
        if collected is not None:
            size += len(chunk)
            if size <= STREAM_KEPT_UP_TO:
                collected.append(chunk)
            else:
                collected = None  # too large to keep: stop collecting, go on streaming
    if collected is not None:
        store(response, collected)


def is_storable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        # a file on disk (FileResponse) is sent by the server itself, and is no query
        and getattr(response, "file_to_stream", None) is None
        and "private" not in cache_control
        and "no-store" not in cache_control
        # A page's `Vary: Cookie` (the session middleware's, as its header asks whether the
        # reader is signed in) is no reason: only requests without a session, a message or
        # credentials are answered from the cache, and none of them differ by a cookie but
        # the language, which is in the key.
    )


def cache_public_response(view):
    """Marks a view whose anonymous reads `PublicCacheMiddleware` answers from the cache when
    the catalogue has not changed since the same request was last rendered."""

    # A wrapper to carry the mark, not the view itself: some marked views are Django's own
    # functions (the sitemaps), which must not be changed for every other use of them.
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapper.answered_from_public_cache = True
    return wrapper


class PublicCacheMiddleware:
    """Answers the anonymous reads of the views marked with `cache_public_response` from the
    cache, and keeps their answers. After the request log and the outage handling; before the
    rest, which a stored page does not need: the headers it added (the security headers,
    Vary, Content-Language, X-Frame-Options, the Content-Security-Policy, the licence's) are
    kept with the page. An http:// request has keys of its own, which the redirect to https
    (SecurityMiddleware, within) never fills."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_marked(request):
            return self.get_response(request)
        response = cached_response(request)
        if response is not None:
            return response
        return store_when_rendered(request, self.get_response(request))


def is_marked(request):
    """Whether the request's view is marked with `cache_public_response`."""
    return view_is_marked(getattr(request, "urlconf", None) or settings.ROOT_URLCONF, request.path_info)


@lru_cache(maxsize=10_000)
def view_is_marked(urlconf, path):
    """Remembered, since the URLconf does not change while a worker runs: resolving a case
    page's address was ~30 µs of the ~450 its answer from the cache costs."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return getattr(match.func, "answered_from_public_cache", False)
