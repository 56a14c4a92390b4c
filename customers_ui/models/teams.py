"""Teams: people who share admin-held partner credentials (docs/teams.md).

A team's credentials are `PartnerCredential` rows with `team` set instead of `owner`; the key is
write-only for everyone, admins included. `TeamChange` records who changed a team's members or
credentials, and when (never the key).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from customers_ui.models.credentials import PartnerCredential


class Team(models.Model):
    """Support people who use the same admin-held credentials."""

    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamChange(models.Model):
    """One change to a team's members or credentials: who, when, what. Never a key."""

    class Action(models.TextChoices):
        TEAM_CREATED = "team_created", "Team created"
        TEAM_DELETED = "team_deleted", "Team deleted"
        MEMBER_ADDED = "member_added", "Member added"
        MEMBER_REMOVED = "member_removed", "Member removed"
        CREDENTIAL_CREATED = "credential_created", "Credential created"
        KEY_REPLACED = "key_replaced", "Key replaced"
        SCOPE_CHANGED = "scope_changed", "Scope changed"
        RENAMED = "renamed", "Credential renamed"
        CREDENTIAL_DELETED = "credential_deleted", "Credential deleted"

    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    team_name = models.CharField(max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The person (username) or the process ("manage.py team_members") that made the change.
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=30, choices=Action.choices)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.team_name}: {self.get_action_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("team changes are append-only")
        super().save(*args, **kwargs)


class TeamCredentialManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(team__isnull=False)


class TeamCredential(PartnerCredential):
    """The team-held `PartnerCredential` rows, for their own admin page."""

    objects = TeamCredentialManager()

    class Meta:
        proxy = True
        verbose_name = "team credential"

    def __str__(self) -> str:
        return f"{self.label} ({self.team.name})" if self.team_id else self.label
