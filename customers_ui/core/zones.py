"""Time zone names: which are real, and how a page names one next to a time."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache

MAX_ZONE_CHARS = 64


@cache
def _available() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def valid_zone(name: object) -> str | None:
    """The IANA name if it is one this server knows ("Europe/Paris"), else None.

    Cookie and form values are user input: only names from the system's zone database pass.
    """
    if not isinstance(name, str) or not name or len(name) > MAX_ZONE_CHARS:
        return None
    return name if name in _available() else None


@cache
def zone_choices() -> tuple[tuple[str, str], ...]:
    """Every zone as (value, label), UTC first, then alphabetically by name."""
    names = sorted(_available() - {"UTC"})
    return (("UTC", "UTC"), *((name, name.replace("_", " ")) for name in names))


def zone_abbreviation(moment: datetime) -> str:
    """What people call the zone at that moment: "CET", "CEST", "JST", or "+05" where the zone
    database has no letters (then the offset is the honest name)."""
    return moment.strftime("%Z") or moment.strftime("%z")
