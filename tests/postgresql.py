"""A PostgreSQL database of a test's own, for tests that run the production server on it.

Only on the second run of .ci/run (DATABASE_URL points at PostgreSQL); a database per test module
keeps other servers' connections and rows out of what the test counts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

DATABASE_URL = os.environ.get("DATABASE_URL", "")


class _Marks(list):
    """Marks usable as one decorator (``@on_postgresql``) or spread into ``pytestmark``."""

    def __call__(self, test: Any) -> Any:
        for mark in self:
            test = mark(test)
        return test


# Marked `postgresql` (so `-m postgresql` selects them) and skipped unless DATABASE_URL is
# PostgreSQL: `@on_postgresql`, `pytestmark = on_postgresql` or `[*on_postgresql, ...]`.
on_postgresql = _Marks(
    [
        pytest.mark.postgresql,
        pytest.mark.skipif(
            not DATABASE_URL.startswith(("postgres://", "postgresql://")),
            reason="needs DATABASE_URL pointing at PostgreSQL (the second run of .ci/run sets it)",
        ),
    ]
)


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@contextmanager
def own_database(purpose: str) -> Iterator[str]:
    """Create `<DATABASE_URL's name>_<purpose>_<pid>`, yield its URL, drop it (forcing out any
    connection a server left behind)."""
    import psycopg

    name = f"{urlsplit(DATABASE_URL).path.lstrip('/')}_{purpose}_{os.getpid()}"
    maintenance = with_database(DATABASE_URL, "postgres")
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(DATABASE_URL, name)
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
