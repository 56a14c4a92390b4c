"""Directory rows as the typeahead's JSON: the only place its shape is decided."""

from __future__ import annotations

from django.urls import reverse

from customers_ui.directory.selectors import BusinessMatches, DirectoryStatus
from customers_ui.models import DirectoryBusiness


def business_json(row: DirectoryBusiness, *, recent: bool = False) -> dict[str, object]:
    return {
        "id": str(row.business_id),
        "name": row.legal_name or "Unnamed business",
        "country": row.country,
        "currency": row.currency,
        "active": row.is_active,
        "gone": row.gone_at is not None,
        "recent": recent,
        "url": reverse("customers_ui:customer_list", args=[row.business_id]),
    }


def matches_json(matches: BusinessMatches, status: DirectoryStatus | None) -> dict[str, object]:
    return {
        "query": matches.query,
        "results": [
            business_json(row, recent=row.business_id in matches.recent) for row in matches.results
        ],
        "has_more": matches.has_next,
        "status": status.as_json() if status is not None else None,
        "open": None,
    }
