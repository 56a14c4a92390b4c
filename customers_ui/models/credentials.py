"""Each user's Thredfi partner credentials: the key write-only and encrypted."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from customers_ui.core.crypto import decrypt_secret, encrypt_secret

API_KEY_HINT_LENGTH = 4


class PartnerCredential(models.Model):
    """A support user's own Thredfi partner UUID + API key; the key is write-only and encrypted."""

    # Random, never reused: names the credential in shared caches, where a sequential id would
    # collide across restored databases or deployments.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_credentials"
    )
    label = models.CharField(max_length=100)
    partner_uuid = models.UUIDField("partner UUID")
    api_key_encrypted = models.TextField(editable=False)
    api_key_hint = models.CharField(max_length=API_KEY_HINT_LENGTH, editable=False)
    # Bumped whenever the key changes, so tokens cached for the old key are never reused.
    secret_version = models.PositiveIntegerField(default=0, editable=False)
    is_default = models.BooleanField(default=False)
    # The business this credential last looked at, so the picker reopens where the user left off.
    last_business_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_default", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=models.Q(is_default=True),
                name="one_default_credential_per_owner",
            ),
            models.UniqueConstraint(
                fields=["owner", "label"], name="unique_credential_label_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} (…{self.api_key_hint})"

    def set_api_key(self, api_key: str) -> None:
        """Store a new key encrypted; only the last few characters stay readable, as a hint."""
        self.api_key_encrypted = encrypt_secret(api_key)
        self.api_key_hint = api_key[-API_KEY_HINT_LENGTH:]
        self.secret_version += 1

    def get_api_key(self) -> str:
        """The plaintext key: only the Thredfi client asks, and only to mint a partner token."""
        return decrypt_secret(self.api_key_encrypted)
