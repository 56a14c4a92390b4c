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
    except Exception as error:  # any driver error means "down"; the class name goes to the log
        logger.warning("healthz: database check failed (%s)", type(error).__name__)
        return False


def _cache_state() -> str:
    """ "degraded" while the shared cache does not answer: informational, like Thredfi's, since
    every page still works without it (customers_ui/core/fail_soft_cache.py)."""
    try:
        cache.set("healthz:probe", "1", timeout=10)
        answered = cache.get("healthz:probe") == "1"
    except Exception as error:
        logger.warning("healthz: cache check failed (%s)", type(error).__name__)
        return "degraded"
    return "ok" if answered and not getattr(cache, "degraded", False) else "degraded"


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
    """200 while the database answers, 503 (within 2 s) while it does not; never a traceback.

    Only the database decides: without it no page works. The shared cache and Thredfi are
    reported ("ok"/"degraded") but never fail the probe, since the dashboard still serves
    without them and a platform must not restart healthy processes for someone else's outage.
    Never calls Thredfi: it reports the breaker's view of it.
    """
    database = "ok" if _database_ok() else "down"
    return JsonResponse(
        {
            "status": "ok" if database == "ok" else "down",
            "database": database,
            "cache": _cache_state(),
            "thredfi": _thredfi_state(),
        },
        status=200 if database == "ok" else 503,
    )
