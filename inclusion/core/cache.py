"""Django's database cache with an increment that is atomic, and a cull that spares the rate
limits.

Every worker and server of a deployment must see the same counts, so production keeps them
in the database (the table is created by `migrate`) unless CACHE_URL names Redis or another
cache. Django's DatabaseCache increments by reading the value and writing it back: two
workers counting at once both read 4 and both write 5, and a limit of 30 let 42 through. Here
the row is locked while it changes (SELECT … FOR UPDATE on PostgreSQL; SQLite transactions
start with BEGIN IMMEDIATE in our settings, which serialises writers), so each request counts.

When the table holds more than MAX_ENTRIES rows, Django deletes the expired ones and then a
third of the keys in alphabetical order: the rate limits' counters and their daily salt
(``:1:feedback:rate:…``, ``:1:feedback:salt:…``) sort before the rendered pages
(``:1:page:…``), so a busy cache could reset every limit to zero. Here the largest rows go
after the expired ones: rendered pages and fragments (tens of KB, rendered again on the next
request), while a counter (a few bytes) goes only when little else is left.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now

TABLE = "inclusion_cache"


class DatabaseCache(DjangoDatabaseCache):
    def _quoted_names(self, connection) -> tuple[str, str, str, str]:
        """The table and its key, value and expiry columns, quoted for the database."""
        quote = connection.ops.quote_name
        return tuple(quote(name) for name in (self._table, "cache_key", "value", "expires"))

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        table, cache_key, value_column, expires = self._quoted_names(connection)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        current = connection.ops.adapt_datetimefield_value(now().replace(microsecond=0, tzinfo=None))
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_column} FROM {table} WHERE {cache_key} = %s AND {expires} > %s{lock}",  # noqa: S608 - quoted names
                [key, current],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta  # noqa: S301 - our own table
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {value_column} = %s WHERE {cache_key} = %s", [encoded, key])  # noqa: S608
        return value

    def _cull(self, db, cursor, now, num):
        if self._cull_frequency == 0:  # CULL_FREQUENCY 0 means: empty the cache
            return super()._cull(db, cursor, now, num)
        connection = connections[db]
        table, cache_key, value_column, expires = self._quoted_names(connection)
        cursor.execute(f"DELETE FROM {table} WHERE {expires} < %s", [connection.ops.adapt_datetimefield_value(now)])  # noqa: S608
        remaining = num - cursor.rowcount
        if remaining > self._max_entries:
            largest = f"SELECT {cache_key} FROM {table} ORDER BY LENGTH({value_column}) DESC, {cache_key} LIMIT %s"  # noqa: S608
            cursor.execute(f"DELETE FROM {table} WHERE {cache_key} IN ({largest})", [remaining // self._cull_frequency])  # noqa: S608
