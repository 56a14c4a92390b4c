"""Stored state: each user's Thredfi partner credentials and the append-only lookup audit trail."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from customers_ui.crypto import decrypt_secret, encrypt_secret
from customers_ui.thredfi.client import MAX_QUERY_CHARS

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


class LookupEvent(models.Model):
    """One search, view or download, kept for audit. Append-only: rows are never changed."""

    class Action(models.TextChoices):
        SEARCH = "search", "Search"
        VIEW = "view", "View"
        DOWNLOAD = "download", "Download"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="lookup_events",
    )
    username = models.CharField(max_length=150)
    credential_label = models.CharField(max_length=100, blank=True)
    partner_uuid = models.UUIDField(null=True, blank=True)
    business_id = models.UUIDField(null=True, blank=True)
    customer_id = models.UUIDField(null=True, blank=True)
    document_id = models.UUIDField(null=True, blank=True)
    customer_name = models.CharField(max_length=200, blank=True)
    query = models.CharField(max_length=MAX_QUERY_CHARS, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    outcome = models.CharField(max_length=40)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    request_id = models.CharField(max_length=100, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="lookup_user_recent")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.outcome}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("lookup events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("lookup events are append-only")
