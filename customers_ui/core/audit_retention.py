"""The audit trail's one sanctioned delete: retention, and the database's floor under it.

Audit events are append-only (the models refuse updates and deletes; on PostgreSQL triggers do
too, migrations 0006 and 0009). Keeping them for ever is not what anyone wants either, so
`purge_audit` removes events older than the retention period and records that it did.

On PostgreSQL the trigger lets a DELETE through only for a row older than the *database floor*
(and only in a transaction that says it is the purge). The floor is a SQL function whose body
is the number of days, rewritten from AUDIT_RETENTION_DAYS by DDL at every `migrate` (the release
phase of each deploy), never by a row the app could UPDATE: a bug, or a value injected into one
of the app's queries, cannot lower it (a role that owns the function can: docs/operations.md).
A session variable alone never opens the trail to rows younger than the floor.
"""

from __future__ import annotations

import getpass
import socket
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

# Every append-only audit model: (app label, model name).
AUDIT_MODELS = [("customers_ui", "LookupEvent"), ("customers_ui", "SignInEvent")]
# The SQL function the PostgreSQL trigger asks for the floor (migration 0009 creates it).
FLOOR_FUNCTION = "customers_ui_audit_retention_days"


class RetentionRefused(ValueError):
    """A purge asked to delete events the retention period keeps."""


def audit_models() -> list[type[models.Model]]:
    found = []
    for label, name in AUDIT_MODELS:
        try:
            found.append(apps.get_model(label, name))
        except LookupError:  # pragma: no cover - a model not installed here
            continue
    return found


def retention_days() -> int | None:
    """AUDIT_RETENTION_DAYS, or None for "keep everything" (0)."""
    days = int(settings.AUDIT_RETENTION_DAYS)
    return days if days > 0 else None


def floor_function_sql(days: int | None) -> str:
    """DDL (re)writing the floor function: the number of days, or NULL (nothing deletable)."""
    body = "NULL::integer" if days is None else str(int(days))
    return (
        f"CREATE OR REPLACE FUNCTION {FLOOR_FUNCTION}() RETURNS integer "
        f"LANGUAGE sql STABLE AS $$ SELECT {body} $$"
    )


def database_floor_sync(*, using: str = "default") -> None:
    """Set the PostgreSQL floor to AUDIT_RETENTION_DAYS (run by `migrate`, as the owner)."""
    from django.db import connections

    target = connections[using]
    if target.vendor != "postgresql":
        return
    with target.cursor() as cursor:
        cursor.execute(floor_function_sql(retention_days()))


def database_floor_days() -> int | None:
    """The days the database itself keeps (PostgreSQL: the floor `migrate` last wrote; other
    databases have no trigger, so the setting). None: nothing may be deleted."""
    if connection.vendor != "postgresql":
        return retention_days()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {FLOOR_FUNCTION}()")
        (days,) = cursor.fetchone()
    return days


def _who_ran_it() -> tuple[str, str]:
    """(operating-system user@host, database role): the purge record's "who"."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name in a bare container
        user = "unknown"
    database_role = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT session_user")
            (database_role,) = cursor.fetchone()
    return f"{user}@{socket.gethostname()}"[:255], str(database_role)[:150]


@transaction.atomic
def audit_purge(*, older_than_days: int) -> models.Model:
    """Delete audit events older than `older_than_days` and record it (an `AuditPurge` row,
    returned). Refuses (`RetentionRefused`, nothing deleted) a purge reaching into the period
    the database keeps: the PostgreSQL trigger would refuse those rows anyway."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    floor = database_floor_days()
    if floor is None:
        raise RetentionRefused(
            "AUDIT_RETENTION_DAYS is 0 (when migrate last ran): every audit event is kept."
        )
    if older_than_days < floor:
        raise RetentionRefused(
            f"Audit events are kept for {floor} days (AUDIT_RETENTION_DAYS when migrate last "
            f"ran); --older-than {older_than_days} would reach into that period. To keep less, "
            "lower AUDIT_RETENTION_DAYS and run migrate."
        )
    cutoff = timezone.now() - timedelta(days=older_than_days)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Local to this transaction; the trigger still refuses any row younger than the floor.
            cursor.execute("SET LOCAL customers_ui.audit_purge = 'on'")
    removed: dict[str, int] = {}
    oldest: datetime | None = None
    newest: datetime | None = None
    for model in audit_models():
        rows = models.QuerySet(model=model).filter(created_at__lt=cutoff)
        summary = rows.aggregate(
            count=Count("pk"), oldest=Min("created_at"), newest=Max("created_at")
        )
        removed[model.__name__] = rows._raw_delete(rows.db) if summary["count"] else 0
        if summary["oldest"] is not None:
            oldest = min(filter(None, (oldest, summary["oldest"])))
            newest = max(filter(None, (newest, summary["newest"])))
    ran_by, database_role = _who_ran_it()
    record_model = apps.get_model("customers_ui", "AuditPurge")
    return record_model.objects.create(
        older_than_days=older_than_days,
        cutoff=cutoff,
        removed_count=sum(removed.values()),
        removed=removed,
        oldest_removed=oldest,
        newest_removed=newest,
        ran_by=ran_by,
        database_role=database_role,
    )
