"""The append-only audit trail of lookups: who looked at what, when, and how it ended."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from customers_ui.thredfi.client import MAX_QUERY_CHARS

MAX_TICKET_REF_CHARS = 100
MAX_VIA_CHARS = 40


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused too, not just `save()` and `delete()` on one row.

    The one sanctioned delete is the retention purge
    (customers_ui.core.audit_retention.audit_purge); on
    PostgreSQL triggers enforce the same in the database itself (migrations 0006, 0007).
    """

    def update(self, **kwargs: object) -> int:
        raise PermissionError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only: use `manage.py purge_audit`")


class LookupEvent(models.Model):
    """One search, view or download, kept for audit. Append-only: rows are never changed."""

    class Action(models.TextChoices):
        SEARCH = "search", "Search"
        VIEW = "view", "View"
        DOWNLOAD = "download", "Download"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Deleting a user leaves the row as it was (id and username): the trail is never updated,
    # and the database refuses every UPDATE of it (migration 0007), so no ON DELETE action.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="lookup_events",
    )
    username = models.CharField(max_length=150)
    credential_label = models.CharField(max_length=100, blank=True)
    # Which credential served it: "personal" or "team" (and the team's name, as it was then).
    CREDENTIAL_PERSONAL, CREDENTIAL_TEAM = "personal", "team"
    credential_kind = models.CharField(max_length=10, blank=True)
    team_name = models.CharField(max_length=100, blank=True, db_index=True)
    partner_uuid = models.UUIDField(null=True, blank=True)
    business_id = models.UUIDField(null=True, blank=True)
    customer_id = models.UUIDField(null=True, blank=True)
    document_id = models.UUIDField(null=True, blank=True)
    customer_name = models.CharField(max_length=200, blank=True)
    query = models.CharField(max_length=MAX_QUERY_CHARS, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    outcome = models.CharField(max_length=40)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    request_id = models.CharField(max_length=100, blank=True)  # Thredfi's, for its support
    # Ours: the same id is in X-Request-ID, on every log line of the request and its error page.
    dashboard_request_id = models.CharField(max_length=128, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    # The browser's Sec-Fetch-Site: "cross-site" means the page was opened from another site
    # (say, a link planted in a ticket), "none" typed or bookmarked, "same-origin" clicked here.
    fetch_site = models.CharField(max_length=20, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    # The reason for the lookup: the helpdesk ticket a `/go` link came from (and which helpdesk),
    # kept on this customer's lookups for TICKET_CONTEXT_MINUTES (customers_ui.lookup.tickets).
    ticket_ref = models.CharField(max_length=MAX_TICKET_REF_CHARS, blank=True, db_index=True)
    via = models.CharField(max_length=MAX_VIA_CHARS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

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


class AuditPurge(models.Model):
    """One run of the retention purge (`manage.py purge_audit`): what it removed and who ran it.

    The purge is the one delete the audit trail allows, so it must leave a trace of its own:
    how many events went, the oldest and newest of them, the retention it applied, the
    operating-system user and host that ran it and (on PostgreSQL) the database role. Written in
    the purge's own transaction, so a purge without its record cannot happen. Append-only like
    the events, and never purged itself.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    older_than_days = models.PositiveIntegerField()
    cutoff = models.DateTimeField()
    removed_count = models.PositiveIntegerField(default=0)
    # Per audit model, e.g. {"LookupEvent": 120, "SignInEvent": 31}.
    removed = models.JSONField(default=dict)
    oldest_removed = models.DateTimeField(null=True, blank=True)
    newest_removed = models.DateTimeField(null=True, blank=True)
    ran_by = models.CharField(max_length=255, blank=True)
    database_role = models.CharField(max_length=150, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} purge of {self.removed_count} audit events"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("audit purge records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit purge records are append-only")
