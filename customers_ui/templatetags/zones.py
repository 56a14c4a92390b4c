"""Times in the reader's own zone, always with the zone named: "27 Nov 2025, 14:05 CET".

The zone is the one `UserTimeZoneMiddleware` activated. Each time is a <time> element whose
`datetime` is the exact instant and whose title is the zone's full name ("Europe/Paris"), so
"CET" is never ambiguous for long.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from customers_ui.core.zones import zone_abbreviation

register = template.Library()


def _local(value: datetime) -> datetime:
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return timezone.localtime(value)


def local_text(value: datetime | None, *, with_date: bool = True) -> str:
    """Plain text of a time in the active zone, e.g. "27 Nov 2025, 14:05 CET"."""
    if value is None:
        return ""
    local = _local(value)
    clock = f"{local:%H:%M} {zone_abbreviation(local)}"
    return f"{local.day} {local:%b %Y}, {clock}" if with_date else clock


@register.filter
def local_datetime(value: datetime | None) -> SafeString | str:
    """A <time> with date and time in the reader's zone, named."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        value.isoformat(),
        timezone.get_current_timezone_name(),
        local_text(value),
    )


@register.filter
def local_clock(value: datetime | None) -> SafeString | str:
    """A <time> with the time of day only (for "today" lists), zone named."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}" title="{} ({})">{}</time>',
        value.isoformat(),
        local_text(value),
        timezone.get_current_timezone_name(),
        local_text(value, with_date=False),
    )


@register.simple_tag
def time_zone_name() -> str:
    """The active zone's full name ("Europe/Paris", or "UTC")."""
    return timezone.get_current_timezone_name()
