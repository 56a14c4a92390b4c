"""One sync per partner directory at a time, across every web process and machine.

The lock is an entry in the shared cache (Redis, or the database cache on one machine) taken with
`cache.add`, which only one caller can win. It expires by itself (a process killed mid-sync never
blocks the directory for long) and a running sync extends it while it makes progress. Only the
holder's token releases it, so a sync that outlived its lock cannot free a successor's.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache

from customers_ui.models import BusinessDirectory
from customers_ui.upstream.caching import deployment_namespace

# Long enough for the slowest page fetch (the client's deadline is ~11 s) between two extensions.
LOCK_SECONDS = 60


def _key(directory: BusinessDirectory) -> str:
    return f"directory-sync:{deployment_namespace()}:{directory.pk}"


def sync_lock_acquire(*, directory: BusinessDirectory) -> str | None:
    """A token proving this caller holds the directory's sync lock, or None if someone does."""
    token = secrets.token_hex(16)
    return token if cache.add(_key(directory), token, timeout=LOCK_SECONDS) else None


def sync_lock_extend(*, directory: BusinessDirectory, token: str) -> bool:
    """Keep the lock while the sync makes progress; False if it was lost (expired, taken)."""
    key = _key(directory)
    if cache.get(key) != token:
        return False
    return bool(cache.touch(key, timeout=LOCK_SECONDS))


def sync_lock_release(*, directory: BusinessDirectory, token: str) -> None:
    """Free the lock if this token still holds it."""
    key = _key(directory)
    if cache.get(key) == token:
        cache.delete(key)


def sync_running(*, directory: BusinessDirectory) -> bool:
    """Whether some process holds the directory's sync lock right now."""
    return cache.get(_key(directory)) is not None
