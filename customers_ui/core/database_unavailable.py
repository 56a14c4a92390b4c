"""The dashboard's own database is unreachable: a static 503 page, quickly, never a 500.

A request that cannot reach the database (PostgreSQL restarting, failing over, refusing
connections, or the pool telling it so at once: dashboard/postgresql/) raises a database
OperationalError or InterfaceError from wherever it first needed the database: the session, the
user, a view, the audit write after a lookup. Django hands every such exception to the 500
handler (`problem_pages.server_error`), which asks `database_unreachable` and answers with this
page instead: rendered from a template with no context processors, no session and no query, with
our request id and `Retry-After`. A lookup whose audit row cannot be written ends here too, so no
customer page is ever shown unaudited.

A busy pool (every connection taken for DATABASE_POOL_TIMEOUT while the database answers) is not
a database outage: it gets its own words ("busy, try again in a moment") and a short Retry-After,
so nobody reports a database incident for a traffic peak.
"""

from __future__ import annotations

import logging
import sqlite3

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from customers_ui.core.request_context import current_request_id

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
BUSY_RETRY_AFTER_SECONDS = 5
TEMPLATE = "503_database.html"
BUSY_TEMPLATE = "503_busy.html"
# How far along an exception's causes to look for the database error behind it.
CHAIN_DEPTH = 5


# SQLite raises OperationalError for bugs too ("no such table", a syntax error); only these say
# the database file cannot be used right now.
SQLITE_UNAVAILABLE = (
    "database is locked",
    "unable to open database file",
    "disk i/o error",
    "database or disk is full",
    "attempt to write a readonly database",
)


def database_unreachable(error: BaseException) -> bool:
    """Whether this exception (or one it was raised from) says the database is not answering."""
    seen: BaseException | None = error
    for _ in range(CHAIN_DEPTH):
        if seen is None:
            return False
        if isinstance(seen, OperationalError | InterfaceError):
            return not _sqlite_bug(seen)
        seen = seen.__cause__ or seen.__context__
    return False


def _sqlite_bug(error: BaseException) -> bool:
    """A SQLite OperationalError that is the query's fault, not the database's."""
    driver_error = error.__cause__
    if not isinstance(driver_error, sqlite3.OperationalError):
        return False
    message = str(driver_error).lower()
    return not message.startswith(SQLITE_UNAVAILABLE)


def pool_busy(error: BaseException) -> bool:
    """Whether the error is the pool's "no connection free in time" while the database answers."""
    # Imported here: only PostgreSQL deployments pool, and only an error page needs to know.
    from dashboard.postgresql.base import DatabaseUnreachable, PoolTimeout

    seen: BaseException | None = error
    for _ in range(CHAIN_DEPTH):
        if seen is None:
            return False
        if isinstance(seen, PoolTimeout):
            # The first one decides: an "unreachable" carries the slice's timeout as context.
            return not isinstance(seen, DatabaseUnreachable)
        seen = seen.__cause__ or seen.__context__
    return False


def database_unavailable_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 page; one warning line naming the error's class (its text may carry a host)."""
    busy = pool_busy(error)
    logger.warning(
        "%s: %s (%s), HTTP 503",
        request.path,
        "database pool busy" if busy else "database not answering",
        type(error).__name__,
        extra={"status_code": 503, "database_error": type(error).__name__},
    )
    template = BUSY_TEMPLATE if busy else TEMPLATE
    body = loader.get_template(template).render({"request_id": current_request_id()})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS if busy else RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Logged once, above: Django would log it again at ERROR with the traceback.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
