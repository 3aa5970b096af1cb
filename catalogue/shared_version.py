"""The catalogue's data version, kept in Redis beside the answers it keys.

Every cached answer is found by the data version (catalogue/caching.py), so every hit used to
read it from the database: the version's query, and before it the health check Django runs on
a request's first query (CONN_HEALTH_CHECKS). With production's cache (Redis, shared by every
worker) the version is kept there too, and a hit does not touch the database at all
(a case page served from the cache at 100,000 initiatives, in-process: 1.79-1.83 → 1.52-1.79
ms of the worker's CPU, 2.2-2.3 → 1.7-2.0 ms of wall time, and no PostgreSQL backend time).

It is never stale after a change, because:
- after every change commits, the version is read again from the database and written here
  (`publish`, called by `revisions.record_change` through `on_commit`): the latest committed,
  before the response of the request that made the change is sent;
- a write only ever raises the number (a Lua script compares, in Redis): two changes that
  commit at once, or a reader putting back what it read from the database while a change
  commits, never put an older version over a newer one;
- it expires after VERSION_SECONDS, so a change made behind the application's back (SQL by
  hand, a restored backup) or one whose write here failed (a Redis blip at that moment)
  shows within that time; then the next request reads the database and puts it back.

Inside a transaction the database is read, so that a request sees its own change before it
commits. With any other cache (locmem keeps one per process; dummy keeps nothing) the
version is read from the database on every request, as before.
"""

import logging
from datetime import datetime

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.db import connection, transaction
from redis.exceptions import RedisError

from .models import CatalogueRevision, Version

logger = logging.getLogger(__name__)

# How long the version kept in Redis is trusted without a change moving it (see above).
VERSION_SECONDS = 5
KEY = "catalogue-version"
# Sets KEYS[1] to ARGV[2] (for ARGV[3] ms) unless it already holds a number >= ARGV[1].
RAISE_ONLY = """
local held = redis.call('GET', KEYS[1])
if held and tonumber(string.match(held, '^%d+')) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
"""


def _redis_and_key():
    """The default cache's Redis client and the version's key under the cache's prefix, or
    None when the default cache is not Redis."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    get_client = getattr(getattr(cache, "client", None), "get_client", None)
    if get_client is None:  # not django-redis
        return None
    return get_client(write=True), cache.make_key(KEY)


def _encoded(version):
    return f"{version.number} {version.changed_at.isoformat() if version.changed_at else ''}"


def _decoded(held):
    number, _, changed_at = held.decode().partition(" ")
    return Version(int(number), datetime.fromisoformat(changed_at) if changed_at else None)


def _raise_to(client, key, version):
    client.eval(RAISE_ONLY, 1, key, version.number, _encoded(version), int(VERSION_SECONDS * 1000))


def current_version_and_entry(cache_key):
    """`(the data version, the default cache's entry at cache_key or None)`. The version comes
    from Redis when it holds it, else from the database (and is then kept in Redis for the next
    request). With Redis both are read in one round trip (MGET): a page served from the cache
    needs no second one. `cache_key=None` reads the version alone."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    redis_and_key = None if connection.in_atomic_block else _redis_and_key()
    if redis_and_key is None:
        return CatalogueRevision.objects.current(), None if cache_key is None else cache.get(cache_key)
    client, key = redis_and_key
    try:
        held, *entry = client.mget([key] + ([] if cache_key is None else [cache.make_key(cache_key)]))
        if held is not None:
            version = _decoded(held)
        else:
            version = CatalogueRevision.objects.current()
            _raise_to(client, key, version)
        return version, cache.client.decode(entry[0]) if entry and entry[0] is not None else None
    except RedisError:
        logger.warning("Redis is unavailable: the data version is read from the database", exc_info=True)
        return CatalogueRevision.objects.current(), None


def publish_when_committed():
    """Have `publish` run once this transaction commits (once, however many changes it holds)."""
    if _redis_and_key() is None or any(callback is publish for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(publish, robust=True)


def publish():
    """Write the committed version to Redis."""
    redis_and_key = _redis_and_key()
    if redis_and_key is None:
        return
    client, key = redis_and_key
    try:
        _raise_to(client, key, CatalogueRevision.objects.current())
    except RedisError:
        logger.warning("Redis is unavailable: the new data version shows when its key expires", exc_info=True)
