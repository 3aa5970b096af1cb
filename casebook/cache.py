import base64
import pickle

from django.core.cache.backends import db
from django.db import connections, router, transaction
from django.utils.timezone import now


class DatabaseCache(db.DatabaseCache):
    """Django's database cache, with an `incr` that no concurrent increment can undo.

    Django's own reads the value, then writes it back plus one: two workers incrementing at
    once both write n + 1, and a rate limit counted that way lets requests through uncounted.
    Here the increment first updates the row, which makes a concurrent one wait (a row lock
    on PostgreSQL, the write lock on SQLite) until this transaction commits.
    """

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        table = connection.ops.quote_name(self._table)
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET expires = expires WHERE cache_key = %s AND expires > %s",  # noqa: S608 (table: a setting)
                [key, connection.ops.adapt_datetimefield_value(now().replace(microsecond=0))],
            )
            if cursor.rowcount == 0:
                raise ValueError(f"Key '{key}' not found.")
            cursor.execute(f"SELECT value FROM {table} WHERE cache_key = %s", [key])  # noqa: S608
            value = pickle.loads(base64.b64decode(cursor.fetchone()[0].encode())) + delta  # noqa: S301 (written by this cache)
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [encoded, key])  # noqa: S608
        return value
