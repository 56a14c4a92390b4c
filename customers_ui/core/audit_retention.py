"""The audit trail's one sanctioned delete: retention.

Audit events are append-only (the models refuse updates and deletes; on PostgreSQL a trigger
does too). Keeping them for ever is not what anyone wants either, so `purge_audit` removes events
older than the retention period, inside a transaction that alone may delete them.
"""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

# Every append-only audit model: (app label, model name).
AUDIT_MODELS = [("customers_ui", "LookupEvent"), ("customers_ui", "SignInEvent")]


def audit_models() -> list[type[models.Model]]:
    found = []
    for label, name in AUDIT_MODELS:
        try:
            found.append(apps.get_model(label, name))
        except LookupError:  # pragma: no cover - a model not installed here
            continue
    return found


@transaction.atomic
def audit_purge(*, older_than_days: int) -> dict[str, int]:
    """Delete audit events older than `older_than_days`; returns how many per model."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Local to this transaction: the trigger lets exactly these deletes through.
            cursor.execute("SET LOCAL customers_ui.audit_purge = 'on'")
    removed = {}
    for model in audit_models():
        rows = models.QuerySet(model=model).filter(created_at__lt=cutoff)
        removed[model.__name__] = rows._raw_delete(rows.db)
    return removed
