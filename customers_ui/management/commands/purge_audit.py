"""Delete audit events older than the retention period (run daily from a scheduler).

python manage.py purge_audit                   # AUDIT_RETENTION_DAYS (0: keep everything)
python manage.py purge_audit --older-than 500  # keep more than the retention this time

Each run leaves an AuditPurge row (count, oldest and newest removed, who ran it). A purge that
would reach into the retention period is refused: on PostgreSQL the database itself keeps that
period (the floor `migrate` writes from AUDIT_RETENTION_DAYS).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers_ui.core.audit_retention import RetentionRefused, audit_purge


class Command(BaseCommand):
    help = (
        "Delete lookup and sign-in audit events older than --older-than DAYS (default and "
        "minimum: AUDIT_RETENTION_DAYS) and record the purge. The only way audit events are "
        "ever deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, metavar="DAYS", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than"]
        if days is None:
            days = settings.AUDIT_RETENTION_DAYS
            if days == 0:
                self.stdout.write("AUDIT_RETENTION_DAYS is 0: keeping every audit event.")
                return
        if days < 1:
            raise CommandError("--older-than must be at least 1 day.")
        try:
            record = audit_purge(older_than_days=days)
        except RetentionRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        summary = ", ".join(f"{count} {name}" for name, count in record.removed.items())
        self.stdout.write(
            f"Deleted audit events older than {days} days: {summary} "
            f"(recorded as audit purge {record.pk})."
        )
