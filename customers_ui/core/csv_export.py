"""CSV export for read-only audit admins: what the changelist's filters select, or the ticked rows.

Shared by the lookup audit trail and the sign-in events, so both stream the same way and both
defuse spreadsheet formulas (CSV injection): a cell an attacker could have typed (a search
query, a username) must be shown by Excel, never evaluated.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path
from django.utils import timezone

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


class CSVExportMixin:
    """For a `ModelAdmin`: an "Export CSV" button (keeps the current filters and search) and an
    "export selected" action, both streaming `export_fields` in chunks.

    Set `export_fields` (column names, in order), `export_filename` (the file name's stem) and
    `export_action_description`. The export URL is named `admin:<app>_<model>_export`.
    """

    export_fields: tuple[str, ...] = ()
    export_filename = "export"
    export_action_description = "Export selected rows as CSV"
    change_list_template = "admin/csv_export_change_list.html"

    def get_urls(self) -> list[Any]:
        opts = self.model._meta  # type: ignore[attr-defined]
        export = path(
            "export.csv",
            self.admin_site.admin_view(self.export_filtered_view),  # type: ignore[attr-defined]
            name=f"{opts.app_label}_{opts.model_name}_export",
        )
        return [export, *super().get_urls()]  # type: ignore[misc]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)  # type: ignore[misc]
        if self.has_view_permission(request):  # type: ignore[attr-defined]
            actions["export_csv"] = (
                CSVExportMixin.export_csv,
                "export_csv",
                self.export_action_description,
            )
        return actions

    def export_filtered_view(self, request: HttpRequest) -> StreamingHttpResponse:
        """The changelist's "Export CSV" button: all that the current filters and search select."""
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)  # type: ignore[attr-defined]
        return self.csv_response(changelist.get_queryset(request))

    def export_csv(self, request: HttpRequest, queryset: QuerySet[Model]) -> StreamingHttpResponse:
        return self.csv_response(queryset)

    def csv_rows(self, queryset: QuerySet[Model]) -> Iterable[list[str]]:
        yield list(self.export_fields)
        for values in queryset.values_list(*self.export_fields).iterator(chunk_size=2000):
            yield [csv_safe(v.isoformat() if hasattr(v, "isoformat") else v) for v in values]

    def csv_response(self, queryset: QuerySet[Model]) -> StreamingHttpResponse:
        writer = csv.writer(_Echo())
        rows: Iterator[str] = (writer.writerow(row) for row in self.csv_rows(queryset))
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return StreamingHttpResponse(
            rows,
            content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{self.export_filename}-{stamp}.csv"'
            },
        )


class ReadOnlyAuditAdmin(CSVExportMixin, admin.ModelAdmin):
    """An append-only audit trail: nobody adds, changes or deletes rows here; staff read and
    export them. Counting a long trail on every page is wasteful, so the full count is off."""

    list_per_page = 100
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
