"""Print a fresh Fernet key for CREDENTIALS_ENCRYPTION_KEYS (store it like a password)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from customers_ui.core.crypto import generate_key


class Command(BaseCommand):
    help = (
        "Print a new Fernet key. To rotate: prepend it to CREDENTIALS_ENCRYPTION_KEYS, deploy, run "
        "rotate_credentials_key, then drop the old key."
    )
    requires_system_checks: list[str] = []  # must work while the configured keys are broken

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_key())
