"""Hourly limits on account mail, counted in the cache so every server process shares them
(with Redis in production; see README, "Configuration")."""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches

from casebook.client_address import client_ip

logger = logging.getLogger(__name__)

# The cache every worker shares (Redis, or the database with an atomic increment; settings,
# "Shared cache"), so that two workers do not each allow the limit.
LIMITS_CACHE = "shared"
HOUR = 3600


class RateLimited(Exception):
    """Too many requests from one client address this hour."""

    def __init__(self, retry_after):
        super().__init__(f"rate limited; retry after {retry_after} s")
        self.retry_after = retry_after


def count(scope, ident, limit, period=HOUR):
    """Count one more `scope` event for `ident` in the current period; returns the seconds
    until the period ends if that goes over `limit`, else None.

    Fixed windows (one counter per period, created with add() and raised with incr(), both
    atomic in Redis) cost one round trip and are never over the limit; a burst at the end of
    one hour and the start of the next may pass twice the limit, which is enough here. An
    unreachable cache lets the request through: a limit must not become an outage.
    """
    now = time.time()
    window = int(now // period)
    digest = hashlib.sha256(ident.lower().encode()).hexdigest()[:32]  # no addresses in keys
    key = f"limit:{scope}:{digest}:{window}"
    cache = caches[LIMITS_CACHE]
    try:
        cache.add(key, 0, timeout=period + 60)
        used = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=period + 60)
        used = 1
    except Exception:  # any cache failure: let the request through, and say so
        logger.warning("Rate limit %s not counted: cache unavailable", scope, exc_info=True)
        return None
    if used is None or used <= limit:
        return None
    return max(1, int((window + 1) * period - now))


def client_address(request):
    """The client's IP address, by the rule the API rate limit and the sign-in lockout use
    (REMOTE_ADDR, or X-Forwarded-For as far as TRUSTED_PROXIES says)."""
    return client_ip(request)


def check_client(request, scope, limit):
    """Raise RateLimited when the client has gone over `limit` `scope` requests this hour."""
    retry_after = count(f"ip:{scope}", client_address(request), limit)
    if retry_after is not None:
        raise RateLimited(retry_after)


def may_mail(address):
    """Whether another account mail may go to `address` this hour
    (ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR); counts it when it may."""
    return count("mail", address, settings.ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR) is None
