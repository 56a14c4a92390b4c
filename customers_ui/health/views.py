"""Liveness probe for the platform router and runbooks."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from customers_ui.upstream.guards import thredfi_state

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "down"; the reason goes to the log, not the probe
        logger.exception("healthz: database check failed")
        return False


def _cache_ok() -> bool:
    try:
        cache.set("healthz:probe", "1", timeout=10)
        return cache.get("healthz:probe") == "1"
    except Exception:
        logger.exception("healthz: cache check failed")
        return False


def _thredfi_state() -> str:
    """ "degraded" while the circuit breaker keeps lookups from calling Thredfi. Informational:
    someone else's outage must never make the platform restart this process."""
    try:
        return "degraded" if thredfi_state().open else "ok"
    except Exception:
        logger.exception("healthz: Thredfi state unknown")
        return "degraded"


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and cache answer, 503 naming what is down (never a traceback).

    Never calls Thredfi: it reports the breaker's view of it, and that never fails the probe.
    """
    checks = {
        "database": "ok" if _database_ok() else "down",
        "cache": "ok" if _cache_ok() else "down",
    }
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", **checks, "thredfi": _thredfi_state()},
        status=200 if healthy else 503,
    )
