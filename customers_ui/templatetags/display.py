"""Cheap text filters for upstream strings on hot pages."""

from __future__ import annotations

from datetime import UTC, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter(is_safe=False)
def clip(value: object, limit: int) -> str:
    """Cut text to `limit` characters with an ellipsis.

    Django's `truncatechars` walks every character through Unicode normalisation; upstream fields
    can be a megabyte long and a page shows dozens of them, so this one only slices.
    """
    text = "" if value is None else str(value)
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"


_LIFECYCLE_BADGES = {"ACTIVE": "badge-ok", "ARCHIVED": "badge-muted"}


@register.filter
def lifecycle_badge(lifecycle: str) -> str:
    """The badge style of a customer's lifecycle code; any status we don't know stands out."""
    return _LIFECYCLE_BADGES.get(lifecycle, "badge-warn")


@register.filter
def epoch_iso(seconds: float | None) -> str:
    """Epoch seconds as ISO 8601 (for <time datetime>)."""
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat(timespec="seconds")


@register.filter
def epoch_time(seconds: float | None) -> str:
    """Epoch seconds as a wall-clock time in the active time zone, e.g. "14:05:09 UTC"."""
    if seconds is None:
        return ""
    moment = timezone.localtime(datetime.fromtimestamp(seconds, tz=UTC))
    return moment.strftime("%H:%M:%S %Z")
