"""How long a signed-in session lives: an idle limit that slides while someone works, and an
absolute limit from sign-in however busy the session has been."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from customers_ui.core.middleware import is_housekeeping

# Refreshing the expiry costs a session write, so do it at most this often. The idle limit is
# therefore exact to within this many seconds.
REFRESH_INTERVAL_SECONDS = 300


LOGIN_AT_SESSION_KEY = "_login_at"


def stamp_login_time(*, request: HttpRequest) -> None:
    """Remember when this session signed in (called on every successful sign-in)."""
    request.session[LOGIN_AT_SESSION_KEY] = int(time.time())


class SessionLifetimeMiddleware:
    """Both limits of a signed-in session, on the way in and on the way out.

    Absolute: end a session SESSION_MAX_AGE_SECONDS after sign-in, however busy it has been. The
    idle timeout alone lets a session that is used every few hours live for ever; a stolen
    cookie must stop working by a known time. Checked after authentication and before the
    login-required check, so an expired session is simply asked to sign in again.

    Sliding: end a session after SESSION_IDLE_SECONDS without use, not a fixed time after login.
    Django only moves the expiry when the session is saved; saving on every request would add a
    database write to every page view, so the session is marked changed at most every few
    minutes while someone works (and is saved only then).

    The platform's probe and static files are left alone: they never load a session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if (
            session is None
            or not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            or is_housekeeping(request.path)
        ):
            return self.get_response(request)
        if "_auth_user_id" in session:
            now = int(time.time())
            signed_in_at = session.get(LOGIN_AT_SESSION_KEY)
            if not isinstance(signed_in_at, int):
                # A session from before this rule: its lifetime starts now.
                session[LOGIN_AT_SESSION_KEY] = now
            elif now - signed_in_at > settings.SESSION_MAX_AGE_SECONDS:
                logout(request)
        response = self.get_response(request)
        # The view may have signed someone in or out: look again.
        if "_auth_user_id" in session:
            now = int(time.time())
            if now - session.get("_refreshed_at", 0) >= REFRESH_INTERVAL_SECONDS:
                session["_refreshed_at"] = now
        return response
