"""Admin: oversee credentials without ever seeing a key; read and export the audit trail.

Credentials are provisioned by their owners (Credentials page) or by operators
(`manage.py store_partner_credentials`, which reads the key from standard input), so the admin
cannot add them and never shows or edits the encrypted key: only its last 4 characters.
Lookup events are append-only (the model refuses updates and deletes), so their admin is
read-only, with a CSV export of whatever the filters select.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path
from django.utils import timezone

from customers_ui.models import LookupEvent, PartnerCredential

# A spreadsheet treats cells starting with these as formulas (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """Text for a CSV cell that a spreadsheet will show, never evaluate."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    """csv.writer wants a file; streaming wants the row back."""

    def write(self, value: str) -> str:
        return value


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
        return f"…{obj.api_key_hint}" if obj.api_key_hint else "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(LookupEvent)
class LookupEventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "username",
        "action",
        "outcome",
        "http_status",
        "business_id",
        "customer_id",
        "request_id",
        "duration_ms",
    )
    list_filter = ("action", "outcome", "created_at", "credential_label")
    search_fields = ("username", "customer_name", "request_id", "customer_id")
    date_hierarchy = "created_at"
    change_list_template = "customers_ui/credentials/admin/lookupevent_change_list.html"
    ordering = ("-created_at",)
    actions = ("export_csv",)
    list_per_page = 100
    show_full_result_count = False  # COUNT(*) over a long audit trail on every page is wasteful

    export_fields = (
        "created_at",
        "username",
        "credential_label",
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
        "duration_ms",
        "id",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        export = path(
            "export.csv",
            self.admin_site.admin_view(self.export_filtered_view),
            name="customers_ui_lookupevent_export",
        )
        return [export, *super().get_urls()]

    def export_filtered_view(self, request: HttpRequest) -> StreamingHttpResponse:
        """The changelist's "Export CSV" button: all that the current filters and search select."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self._csv_response(changelist.get_queryset(request))

    def _rows(self, queryset: QuerySet[LookupEvent]) -> Iterable[list[str]]:
        yield list(self.export_fields)
        for values in queryset.values_list(*self.export_fields).iterator(chunk_size=2000):
            yield [csv_safe(v.isoformat() if hasattr(v, "isoformat") else v) for v in values]

    @admin.action(description="Export selected lookups as CSV")
    def export_csv(
        self, request: HttpRequest, queryset: QuerySet[LookupEvent]
    ) -> StreamingHttpResponse:
        return self._csv_response(queryset)

    def _csv_response(self, queryset: QuerySet[LookupEvent]) -> StreamingHttpResponse:
        writer = csv.writer(_Echo())
        rows: Iterator[str] = (writer.writerow(row) for row in self._rows(queryset))
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return StreamingHttpResponse(
            rows,
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="lookups-{stamp}.csv"'},
        )
