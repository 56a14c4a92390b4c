"""Thredfi partner credentials, a user's own or a team's: the key write-only and encrypted."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from customers_ui.core.crypto import decrypt_secret, encrypt_secret

API_KEY_HINT_LENGTH = 4


class PartnerCredential(models.Model):
    """A Thredfi partner UUID + API key held by one user (personal) or by a team; the key is
    write-only and encrypted. A team's key keeps no readable hint at all (docs/teams.md)."""

    # Random, never reused: names the credential in shared caches, where a sequential id would
    # collide across restored databases or deployments.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_credentials",
        null=True,
        blank=True,
    )
    # Exactly one of owner and team (a database check says so).
    team = models.ForeignKey(
        "customers_ui.Team",
        on_delete=models.CASCADE,
        related_name="credentials",
        null=True,
        blank=True,
    )
    # Team credentials only: None = every business of the partner, else a list of business UUIDs
    # (as strings). Checked before any Thredfi call (customers_ui.teams.scope).
    business_scope = models.JSONField(null=True, blank=True, default=None)
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
    key_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

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
            models.UniqueConstraint(
                fields=["team", "label"],
                condition=models.Q(team__isnull=False),
                name="unique_credential_label_per_team",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(owner__isnull=False, team__isnull=True)
                    | models.Q(owner__isnull=True, team__isnull=False)
                ),
                name="credential_held_by_user_or_team",
            ),
        ]

    def __str__(self) -> str:
        if self.is_team:
            return f"{self.label} (team credential)"
        return f"{self.label} (…{self.api_key_hint})"

    @property
    def is_team(self) -> bool:
        return self.team_id is not None

    @property
    def scope_ids(self) -> frozenset[uuid.UUID] | None:
        """The businesses this credential may look at; None: all of the partner's."""
        if self.business_scope is None:
            return None
        return frozenset(uuid.UUID(str(value)) for value in self.business_scope)

    def in_scope(self, business_id: uuid.UUID | None) -> bool:
        scope = self.scope_ids
        return scope is None or business_id is None or business_id in scope

    def set_api_key(self, api_key: str) -> None:
        """Store a new key encrypted. A personal key keeps its last few characters readable, as
        a hint for its owner; a team key keeps nothing readable (set `team` first)."""
        self.api_key_encrypted = encrypt_secret(api_key)
        self.api_key_hint = "" if self.is_team else api_key[-API_KEY_HINT_LENGTH:]
        self.secret_version += 1
        self.key_changed_at = timezone.now()

    def get_api_key(self) -> str:
        """The plaintext key: only the Thredfi client asks, and only to mint a partner token."""
        return decrypt_secret(self.api_key_encrypted)
