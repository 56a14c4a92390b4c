"""Small readers of the sandbox's counters, shared by the client tests."""

from __future__ import annotations

from typing import Any


def token_requests(api: Any) -> tuple[int, int]:
    """(partner token requests, business token requests) since the last reset."""
    stats = api.stats()
    return stats["partner_token_requests"], stats["business_token_requests"]


def route_count(api: Any, route: str) -> int:
    """Requests the sandbox saw on one route ("get_customer", "list_customers", ...)."""
    return int(api.stats()["requests"].get(route, 0))
