"""This process's guard around Thredfi: one bulkhead and one view of the shared breaker, and the
database-pool courtesy every wait on Thredfi extends to other requests."""

from __future__ import annotations

import hashlib
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from customers_ui.thredfi import BreakerState, GuardSettings, UpstreamGuard
from customers_ui.upstream.caching import deployment_namespace

_guards: dict[tuple[object, ...], UpstreamGuard] = {}
_guards_lock = threading.Lock()


def release_pooled_db_connection() -> None:
    """Hand this thread's database connection back to the pool while it waits on Thredfi (queued
    in the bulkhead, in a call, or between the pages of a directory sync).

    With a bounded pool (PostgreSQL), a lookup waiting seconds on a slow Thredfi would otherwise
    hold a connection the health check, the login page or the audit write of another request
    needs. Without a pool (SQLite, persistent connections) closing would only cost a reconnect.
    """
    if getattr(connection, "pool", None) is not None and not connection.in_atomic_block:
        connection.close()


def _guard_settings() -> GuardSettings:
    return GuardSettings(
        max_concurrent=settings.THREDFI_MAX_CONCURRENT,
        max_waiting=settings.THREDFI_MAX_WAITING,
        failure_threshold=settings.THREDFI_BREAKER_THRESHOLD,
        failure_ratio=settings.THREDFI_BREAKER_RATIO,
        window_seconds=settings.THREDFI_BREAKER_WINDOW_SECONDS,
        open_seconds=settings.THREDFI_BREAKER_OPEN_SECONDS,
        probe_timeout=settings.THREDFI_TOTAL_TIMEOUT + 1,
        state_refresh_seconds=settings.THREDFI_BREAKER_STATE_REFRESH_SECONDS,
    )


def upstream_guard() -> UpstreamGuard:
    """This process's guard for the configured Thredfi: one bulkhead, one view of the breaker.

    The breaker's state lives in the shared cache under a key naming this deployment and this
    upstream, so every web process (and machine, with Redis) opens and closes it together.
    """
    guard_settings = _guard_settings()
    identity = (settings.THREDFI_BASE_URL, guard_settings)
    guard = _guards.get(identity)
    if guard is None:
        with _guards_lock:
            guard = _guards.get(identity)
            if guard is None:
                upstream = hashlib.sha256(settings.THREDFI_BASE_URL.encode()).hexdigest()[:12]
                guard = _guards[identity] = UpstreamGuard(
                    store=cache,
                    key=f"thredfi-breaker:{deployment_namespace()}:{upstream}",
                    settings=guard_settings,
                    before_wait=release_pooled_db_connection,
                )
    return guard


def thredfi_state() -> BreakerState:
    """Whether the dashboard is currently refusing to call Thredfi (for banners and /healthz)."""
    return upstream_guard().state()
