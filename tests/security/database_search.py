"""Look for a secret in every column of every table: what a database dump or backup would hold."""

from __future__ import annotations

from django.db import connection


def tables_holding(*needles: str) -> list[str]:
    """Names of the tables whose rows contain any of `needles` (case-insensitive) as text."""
    wanted = [needle.lower() for needle in needles if needle]
    found: list[str] = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the schema
            for row in cursor.fetchall():
                text = " ".join(_as_text(value) for value in row).lower()
                if any(needle in text for needle in wanted):
                    found.append(table)
                    break
    return found


def _as_text(value: object) -> str:
    if isinstance(value, memoryview):
        value = bytes(value)
    return value.hex() if isinstance(value, bytes) else str(value)
