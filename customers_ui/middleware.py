"""Session housekeeping that Django does not do out of the box."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Refreshing the expiry costs a session write, so do it at most this often. The idle limit is
# therefore exact to within this many seconds.
REFRESH_INTERVAL_SECONDS = 300


class SlidingSessionMiddleware:
    """End a session after SESSION_IDLE_SECONDS without use, not a fixed time after login.

    Django only moves the expiry when the session is saved; saving on every request would add a
    database write to every page view, so we save at most every few minutes while someone works.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            and "_auth_user_id" in session
        ):
            now = int(time.time())
            if now - session.get("_refreshed_at", 0) >= REFRESH_INTERVAL_SECONDS:
                session["_refreshed_at"] = now
        return response
