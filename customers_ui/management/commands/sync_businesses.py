"""`python manage.py sync_businesses`: refresh every partner's business directory, for a scheduler.

Pages refresh a stale directory in the background on their own; a scheduled run keeps directories
fresh for the first person of the morning too, and finishes syncs a restart interrupted. Every
partner with a stored credential for the configured THREDFI_BASE_URL is synced with one of those
credentials (the most recently verified first; a refused one hands over to the next). A partner
another process is syncing right now is skipped. The exit status is 1 when any sync stayed
incomplete, so a scheduler's log shows it.

Heroku Scheduler (hourly or daily):  python manage.py sync_businesses
cron:  17 * * * *  cd /app && .venv/bin/python manage.py sync_businesses --stale-only
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import F

from customers_ui.directory import access
from customers_ui.directory.refresh import directory_is_stale
from customers_ui.directory.selectors import directory_for_partner
from customers_ui.directory.sync import SyncReport, directory_sync_now
from customers_ui.models import BusinessDirectory, PartnerCredential


class Command(BaseCommand):
    help = "Refresh the business directory of every partner with a stored credential."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--partner", type=uuid.UUID, action="append", help="only this partner UUID (repeat)"
        )
        parser.add_argument(
            "--stale-only",
            action="store_true",
            help="skip directories refreshed less than BUSINESS_DIRECTORY_TTL seconds ago",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        partners = options["partner"] or sorted(
            set(PartnerCredential.objects.values_list("partner_uuid", flat=True)), key=str
        )
        if not partners:
            self.stdout.write("No stored credentials: no directory to sync.")
            return
        incomplete = 0
        for partner_uuid in partners:
            directory = directory_for_partner(partner_uuid)
            if options["stale_only"] and not directory_is_stale(directory=directory):
                self.stdout.write(f"partner {partner_uuid}: fresh, skipped")
                continue
            credentials = PartnerCredential.objects.filter(partner_uuid=partner_uuid).order_by(
                F("last_verified_at").desc(nulls_last=True), "-updated_at"
            )
            if not credentials:
                self.stderr.write(f"partner {partner_uuid}: no stored credential, skipped")
                incomplete += 1
                continue
            report = self._sync(directory, list(credentials))
            if report is None:
                self.stdout.write(f"partner {partner_uuid}: another process is syncing it")
                continue
            if report.complete:
                self.stdout.write(f"partner {partner_uuid}: {report.summary()}")
            else:
                incomplete += 1
                self.stderr.write(f"partner {partner_uuid}: {report.summary()}")
        if incomplete:
            raise CommandError(f"{incomplete} directory sync(s) incomplete", returncode=1)

    def _sync(
        self, directory: BusinessDirectory, credentials: list[PartnerCredential]
    ) -> SyncReport | None:
        """Sync with the partner's credentials in turn until one is not refused; None when
        another process holds the directory's lock."""
        report: SyncReport | None = None
        for credential in credentials:
            report = directory_sync_now(directory=directory, credential=credential)
            if report is None:
                return None
            if not report.refused:
                if report.pages:  # Thredfi listed businesses for it: the credential works
                    access.access_grant(credential=credential)
                return report
            access.access_revoke(credential=credential)
        return report
