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
    PostgreSQL a trigger enforces the same in the database itself (migration 0006).
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
