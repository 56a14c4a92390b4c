"""The second-factor gate: a signed-in session that still owes a second factor sees nothing but
the pages that let it pay.

Deny by default: every page except the sign-in and second-factor pages, /healthz and static
files is behind the gate, so customer pages, credentials, the Security page, password change
and the admin are covered, and so is any page added later. A user with a second factor who has
not used it in this session is sent to verify (whatever MFA_REQUIRED says); with
MFA_REQUIRED=True, a user without one is sent to enrol. A single sign-on whose provider did the
second factor counts as verified (`mfa.session_state_of`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as _DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from customers_ui.accounts import mfa


@cache
def _open_paths() -> frozenset[str]:
    """Pages a session owing a second factor may still use (reversed once per process)."""
    return frozenset(
        reverse(name)
        for name in (
            "login",
            "logout",
            "admin:logout",
            "healthz",
            "accounts:sso_start",
            "accounts:sso_callback",
            "accounts:mfa_setup",
            "accounts:mfa_verify",
        )
    )


def _is_open(path: str) -> bool:
    static = "/" + settings.STATIC_URL.lstrip("/")
    return path in _open_paths() or path.startswith(static) or path == "/favicon.ico"


class SecondFactorMiddleware:
    """After authentication and django-otp's OTPMiddleware (which marks verified sessions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_open(request.path):  # before the user: the probe never loads a session
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        owed = mfa.needs_second_factor(request)
        if owed is None:
            return self.get_response(request)
        target = (
            "accounts:mfa_verify" if owed is mfa.SecondFactor.UNVERIFIED else "accounts:mfa_setup"
        )
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)


class LoginRequiredMiddleware(_DjangoLoginRequired):
    """Django's login wall, asking about the view before the user: a page marked
    `login_not_required` (the platform's probe, the sign-in pages) never loads a session or a
    user just to be let through. Every other page is refused to anonymous users exactly as
    Django's own middleware does."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
