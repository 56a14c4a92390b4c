"""Admin: oversee credentials without ever seeing a key; read and export the audit trail.

Credentials are provisioned by their owners (Credentials page) or by operators
(`manage.py store_partner_credentials`, which reads the key from standard input), so the admin
cannot add them and never shows or edits the encrypted key: only its last 4 characters.
Lookup events are append-only (the model refuses updates and deletes), so their admin is
read-only, with a CSV export of whatever the filters select (`csv_export`, shared with the
sign-in events of `accounts.admin`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from customers_ui.core.csv_export import ReadOnlyAuditAdmin, csv_safe
from customers_ui.core.ticket_links import ticket_url
from customers_ui.models import AuditPurge, LookupEvent, PartnerCredential

__all__ = ["csv_safe"]  # tests and older callers import it from here


@admin.register(PartnerCredential)
class PartnerCredentialAdmin(admin.ModelAdmin):
    list_display = ("label", "owner", "partner_uuid", "key", "is_default", "last_verified_at")
    list_filter = ("is_default",)
    search_fields = ("label", "owner__username")
    list_select_related = ("owner",)
    ordering = ("owner__username", "-is_default", "label")
    exclude = ("api_key_encrypted",)
    fields = (
        "owner",
        "label",
        "partner_uuid",
        "key",
        "is_default",
        "secret_version",
        "last_business_id",
        "last_verified_at",
        "created_at",
        "updated_at",
    )
    # Only the label is editable here; keys are provisioned by their owners or the command.
    readonly_fields = tuple(name for name in fields if name != "label")

    @admin.display(description="key")
    def key(self, obj: PartnerCredential) -> str:
        return f"…{obj.api_key_hint}" if obj.api_key_hint and not obj.is_team else "—"

    def get_queryset(self, request: HttpRequest) -> QuerySet[PartnerCredential]:
        # Personal credentials only: team credentials have their own page (teams/admin.py).
        return super().get_queryset(request).filter(owner__isnull=False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(LookupEvent)
class LookupEventAdmin(ReadOnlyAuditAdmin):
    list_display = (
        "created_at",
        "username",
        "action",
        "outcome",
        "http_status",
        "business_id",
        "customer_id",
        "request_id",
        "ticket",
        "duration_ms",
    )
    list_filter = (
        "action",
        "outcome",
        "created_at",
        "credential_kind",
        "team_name",
        "credential_label",
        "via",
    )
    search_fields = ("username", "customer_name", "request_id", "customer_id", "ticket_ref")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)

    export_filename = "lookups"
    export_action_description = "Export selected lookups as CSV"
    export_fields = (
        "created_at",
        "username",
        "credential_label",
        "credential_kind",
        "team_name",
        "partner_uuid",
        "action",
        "outcome",
        "http_status",
        "business_id",
        "customer_id",
        "document_id",
        "customer_name",
        "query",
        "request_id",
        "ticket_ref",
        "via",
        "duration_ms",
        "id",
    )

    @admin.display(description="ticket", ordering="ticket_ref")
    def ticket(self, obj: LookupEvent) -> str:
        """The ticket the lookup was for, linked to the helpdesk when HELPDESK_TICKET_URL is set."""
        if not obj.ticket_ref:
            return "—"
        url = ticket_url(obj.ticket_ref)
        label = f"{obj.ticket_ref} ({obj.via})" if obj.via else obj.ticket_ref
        if not url:
            return label
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, label
        )

    def csv_rows(self, queryset: QuerySet[Model]) -> Iterable[list[str]]:
        """The export's columns, plus the ticket's link (a column after the last one)."""
        rows = iter(super().csv_rows(queryset))
        header = next(rows)
        at = header.index("ticket_ref")
        yield [*header, "ticket_url"]
        for row in rows:
            ref = row[at]
            if ref.startswith("'") and ref[1:2] in ("=", "+", "-", "@", "\t", "\r"):
                ref = ref[1:]  # undo csv_safe's quote: the link is built from the real reference
            yield [*row, csv_safe(ticket_url(ref))]


@admin.register(AuditPurge)
class AuditPurgeAdmin(ReadOnlyAuditAdmin):
    """Each retention purge: what it removed and who ran it (the purge's own trace)."""

    list_display = (
        "created_at",
        "removed_count",
        "oldest_removed",
        "newest_removed",
        "older_than_days",
        "ran_by",
        "database_role",
    )
    date_hierarchy = "created_at"
    ordering = ("-created_at",)

    export_filename = "audit-purges"
    export_action_description = "Export selected purges as CSV"
    export_fields = (
        "created_at",
        "older_than_days",
        "cutoff",
        "removed_count",
        "removed",
        "oldest_removed",
        "newest_removed",
        "ran_by",
        "database_role",
        "id",
    )


# Sign-in events, SSO identities and the users' "Reset second factor" action.
from customers_ui.accounts import admin as _accounts_admin  # noqa: E402, F401

# Teams, their members and credentials, and the record of changes to them.
from customers_ui.teams import admin as _teams_admin  # noqa: E402, F401
