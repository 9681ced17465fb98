"""Django's database cache with an increment that is atomic, for the rate limits.

Every worker and server of a deployment must see the same counts, so production keeps them
in the database (the table is created by `migrate`) unless CACHE_URL names Redis or another
cache. Django's DatabaseCache increments by reading the value and writing it back: two
workers counting at once both read 4 and both write 5, and a limit of 30 let 42 through. Here
the row is locked while it changes (SELECT … FOR UPDATE on PostgreSQL; SQLite transactions
start with BEGIN IMMEDIATE in our settings, which serialises writers), so each request counts.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now

TABLE = "inclusion_cache"


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        quote = connection.ops.quote_name
        table, cache_key, value_column, expires = (
            quote(name) for name in (self._table, "cache_key", "value", "expires")
        )
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
