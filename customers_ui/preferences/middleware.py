"""Every page in the user's own time zone: their saved choice, else the one their browser reports.

The browser's zone arrives in the `tz` cookie (set by static/js/app.js from
`Intl.DateTimeFormat().resolvedOptions().timeZone`); without it (first page, no JavaScript) times
stay in settings.TIME_ZONE. The saved choice is read from the database once per session and kept
in the session, so pages cost no extra query.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from customers_ui.core.middleware import is_housekeeping
from customers_ui.core.zones import valid_zone

TIME_ZONE_COOKIE = "tz"
_SESSION_KEY = "time_zone_choice"


def remember_time_zone(session: Any, time_zone: str) -> None:
    """Keep the user's saved choice in their session ("" = follow the browser)."""
    session[_SESSION_KEY] = time_zone


def _saved_choice(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not user.is_authenticated:
        return ""
    choice = session.get(_SESSION_KEY)
    if choice is None:
        from customers_ui.preferences.selectors import preferences_get

        choice = preferences_get(user=user).time_zone
        remember_time_zone(session, choice)
    return valid_zone(choice) or ""


def browser_time_zone(request: HttpRequest) -> str | None:
    """The zone the browser reported, if it is a real one."""
    return valid_zone(request.COOKIES.get(TIME_ZONE_COOKIE))


class UserTimeZoneMiddleware:
    """Activate the user's zone for the request (templates convert times into it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_housekeeping(request.path):
            return self.get_response(request)  # no times shown; no session loaded for one
        name = _saved_choice(request) or browser_time_zone(request)
        if name:
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
