"""Re-encrypt every stored API key and authenticator seed with the first key of
CREDENTIALS_ENCRYPTION_KEYS.

All or nothing: if any row can't be decrypted with the configured keys, nothing is written, so
an operator who drops an old key too early finds out before any data depends on it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from customers_ui.core.crypto import SecretDecryptionError, reencrypt_secret
from customers_ui.models import AuthenticatorApp, PartnerCredential

BATCH_SIZE = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored partner API key and authenticator seed with the first key of "
        "CREDENTIALS_ENCRYPTION_KEYS. Run after prepending a new key; drop the old key afterwards."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            rows = list(
                PartnerCredential.objects.select_for_update()
                .order_by("pk")
                .only("pk", "api_key_encrypted")
            )
            unreadable: list[int] = []
            changed: list[PartnerCredential] = []
            for row in rows:
                try:
                    ciphertext = reencrypt_secret(row.api_key_encrypted)
                except SecretDecryptionError:
                    unreadable.append(row.pk)
                    continue
                if ciphertext != row.api_key_encrypted:
                    row.api_key_encrypted = ciphertext
                    changed.append(row)
            if unreadable:
                ids = ", ".join(str(pk) for pk in unreadable)
                raise CommandError(
                    f"{len(unreadable)} of {len(rows)} credential(s) cannot be decrypted with "
                    f"CREDENTIALS_ENCRYPTION_KEYS (ids: {ids}). Nothing was changed. Add the key "
                    "they were encrypted with back to the list, or have their owners replace them."
                )
            # Fernet tokens carry a timestamp and IV, so every row changes; compare anyway.
            PartnerCredential.objects.bulk_update(
                changed, ["api_key_encrypted"], batch_size=BATCH_SIZE
            )
            seeds = self._rotate_seeds()
        self.stdout.write(
            f"Re-encrypted {len(changed)} of {len(rows)} credential(s) and {seeds} authenticator "
            "seed(s) with the first key of CREDENTIALS_ENCRYPTION_KEYS."
        )

    def _rotate_seeds(self) -> int:
        """Authenticator seeds, in the same transaction and on the same all-or-nothing terms."""
        apps = list(
            AuthenticatorApp.objects.select_for_update().order_by("pk").only("pk", "key_encrypted")
        )
        unreadable: list[int] = []
        for app in apps:
            try:
                app.key_encrypted = reencrypt_secret(app.key_encrypted)
            except SecretDecryptionError:
                unreadable.append(app.pk)
        if unreadable:
            ids = ", ".join(str(pk) for pk in unreadable)
            raise CommandError(
                f"{len(unreadable)} authenticator seed(s) cannot be decrypted with "
                f"CREDENTIALS_ENCRYPTION_KEYS (ids: {ids}). Nothing was changed. Add the key they "
                "were encrypted with back to the list, or reset those users' second factor."
            )
        AuthenticatorApp.objects.bulk_update(apps, ["key_encrypted"], batch_size=BATCH_SIZE)
        return len(apps)
