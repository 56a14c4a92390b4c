"""Django's database sessions, read with one plain SELECT (issue #23).

Every signed-in request reads its session. Django's `db.SessionStore.load` builds that read as an
ORM `get(session_key=..., expire_date__gt=now)`, and compiling it cost more CPU than the query
itself. This store sends the same SELECT through Django's cursor (the same conversion of `now`
for the database, so the same rows match) and decodes the data the same way; writes, deletion,
`exists` and `clear_expired` are Django's own. Sessions still live in the database only
(docs/resilience.md): logout, a password change or a deactivated account end them at once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = model._meta.get_field("expire_date").get_db_prep_value(
            timezone.now(), connection, prepared=False
        )
        with connection.cursor() as cursor:
            cursor.execute(_load_query(connection.vendor), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            # As Django's: an unknown or expired key is forgotten, and a new one made on save.
            self._session_key = None
            return {}
        return self.decode(row[0])


@cache
def _load_query(vendor: str) -> str:
    model = db.SessionStore.get_model_class()
    meta = model._meta
    quote = connections[router.db_for_read(model)].ops.quote_name
    return (
        f"SELECT {quote(meta.get_field('session_data').column)} "  # noqa: S608 - model names
        f"FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.get_field('session_key').column)} = %s "
        f"AND {quote(meta.get_field('expire_date').column)} > %s"
    )
