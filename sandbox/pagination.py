"""Thredfi's page-number pagination (Django REST framework's), and the customer-list envelope.

Shared by the business list, the customer list and the list faults, so that "what is a valid page"
and "what does a page look like" have one answer each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sandbox.store import dumps

if TYPE_CHECKING:
    from sandbox.server import SandboxHandler

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def positive_int(value: str | None) -> int | None:
    """Query/header integers the DRF way: anything but a positive integer counts as absent."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


def page_size(handler: SandboxHandler) -> int:
    """``page_size`` as asked, clamped to the maximum; absent or invalid means the default."""
    return min(positive_int(handler.query.get("page_size")) or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def requested_page(handler: SandboxHandler, pages: int) -> int | None:
    """The asked-for page (1 when absent), or ``None`` after answering 404 "Invalid page"."""
    raw = handler.query.get("page")
    page = 1 if raw in (None, "") else positive_int(raw)
    if page is None or page > pages:
        handler.send_api_error(
            404, "not_found", "Invalid page.", {"page": raw, "total_pages": pages}
        )
        return None
    return page


def page(handler: SandboxHandler, count: int) -> tuple[int | None, int, int]:
    """DRF page-number pagination over ``count`` items: (page or ``None``, size, pages)."""
    size = page_size(handler)
    pages = max(1, math.ceil(count / size))
    return requested_page(handler, pages), size, pages


def send_rows(
    handler: SandboxHandler, count: int, page: int, pages: int, size: int, rows: Sequence[bytes]
) -> None:
    """The customer-list envelope around pre-encoded rows (no re-serialising of customers)."""
    envelope = dumps(
        {
            "count": count,
            "page_info": {
                "total_count": count,
                "current_page": page,
                "total_pages": pages,
                "page_size": size,
            },
            "results": [],
        }
    )
    handler.send_body(200, envelope[:-3] + b"[" + b",".join(rows) + b"]}")
