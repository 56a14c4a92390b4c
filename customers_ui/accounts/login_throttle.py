"""Password spraying: one address trying a password across many usernames is throttled too.

django-axes locks a username + address pair after AXES_FAILURE_LIMIT failures. An attacker
trying one password against a thousand usernames never trips that, so every failed sign-in from
an address also counts towards LOGIN_FAILURES_PER_ADDRESS (higher, so a shared office address is
not locked by a few typos); past it, that address may not try any password until the cool-off
(AXES_COOLOFF_MINUTES) passes. The address is the one the trusted proxies saw
(`client_address.client_bucket`: an IPv6 /64 counts as one), never one the client wrote. Counts
live in the shared cache.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from customers_ui.core.client_address import client_bucket


def _key(address: str) -> str:
    return f"login-failures:address:{address}"


def _cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def record_failure(*, request: HttpRequest) -> None:
    """Count one failed sign-in from this request's address."""
    address = client_bucket(request)
    if not address:
        return
    key = _key(address)
    cache.add(key, 0, timeout=_cool_off_seconds())
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_cool_off_seconds())


def address_blocked(request: HttpRequest) -> bool:
    address = client_bucket(request)
    return bool(address) and cache.get(_key(address), 0) >= settings.LOGIN_FAILURES_PER_ADDRESS


@memoize
def _password_paths() -> frozenset[str]:
    return frozenset({reverse("login"), reverse("admin:login")})


class LoginThrottleMiddleware:
    """Refuse password POSTs from an address past its limit, before any password is checked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.path in _password_paths()
            and address_blocked(request)
        ):
            return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
        return self.get_response(request)
