from django.utils.cache import patch_cache_control

from .errors import is_api_request

# What a shared cache (a proxy, a CDN) or a browser may keep of each answer of the API.
PUBLIC = {"public": True, "no_cache": True}
PRIVATE = {"private": True, "no_store": True}
NOT_STORED = {"no_store": True}


def cache_control(get_response):
    """An explicit Cache-Control on every API answer that has none of its own.

    Public reads are `public, no-cache`: any cache may keep them, but must ask again before
    each use. A freshness lifetime (max-age) would let a client see a record for a while after
    it was unpublished; revalidating costs one cheap query and a bodiless 304, since every
    read carries an ETag and Last-Modified. A request with credentials, and every write, is
    `private, no-store` (a partner's submissions are nobody else's); an error is `no-store`,
    since it carries no validator to revalidate it with.
    """

    def middleware(request):
        response = get_response(request)
        if is_api_request(request) and not response.has_header("Cache-Control"):
            if "Authorization" in request.headers or request.method not in ("GET", "HEAD", "OPTIONS"):
                patch_cache_control(response, **PRIVATE)
            elif response.status_code in (200, 304):
                patch_cache_control(response, **PUBLIC)
            else:
                patch_cache_control(response, **NOT_STORED)
        return response

    return middleware
