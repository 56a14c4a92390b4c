"""Reads of the lookup pages, each scoped to the requesting user."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from customers_ui.models import LookupEvent


def recent_lookups(*, user: AbstractBaseUser, limit: int = 10) -> list[LookupEvent]:
    """The user's latest successful customer views, one line per customer."""
    seen: set[tuple[object, object]] = set()
    recent: list[LookupEvent] = []
    events = LookupEvent.objects.filter(
        user=user, action=LookupEvent.Action.VIEW, outcome="ok"
    ).only("business_id", "customer_id", "customer_name", "created_at", "credential_label")
    for event in events[: limit * 5]:
        key = (event.business_id, event.customer_id)
        if key in seen:
            continue
        seen.add(key)
        recent.append(event)
        if len(recent) == limit:
            break
    return recent
