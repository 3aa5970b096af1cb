from django.conf import settings


def client_ip(request):
    """The client's IP address, by one rule for the API rate limit and the sign-in lockout.

    With TRUSTED_PROXIES = 0 it is the connection's address: an X-Forwarded-For header is
    ignored, since any client can write one. With n trusted proxies, each appending the
    address it saw, it is the nth entry from the right of X-Forwarded-For; whatever a client
    put before that is ignored. (DRF's `get_ident` reads NUM_PROXIES the same way.)
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",")]
    return addresses[-min(proxies, len(addresses))] or remote_addr
