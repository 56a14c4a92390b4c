"""Password guessing limits beyond django-axes' lockout per username + address.

django-axes locks a username + address pair after AXES_FAILURE_LIMIT failures. Two attacks
never trip that, so every failed password sign-in also counts towards two more limits:

- per address (`LOGIN_FAILURES_PER_ADDRESS`, password spraying): one address trying a password
  across many usernames. Higher than axes' limit, so a shared office survives a few typos.
- per account (`LOGIN_FAILURES_PER_ACCOUNT`, OWASP ASVS 2.2.1): many addresses (a botnet, or
  the 2^64 addresses of one IPv6 /64) guessing one account's password. Past it, *password*
  sign-in for that account pauses; single sign-on, which never checks a password here, still
  works, so the owner is not locked out by whoever is guessing.

Past either limit, password POSTs are refused before any password is checked, until the cool-off
(AXES_COOLOFF_MINUTES) after the first counted failure passes; every refusal is a sign-in event.
The address is `client_address.client_bucket` (what the trusted proxies saw; an IPv6 /64 counts
as one), never one the client wrote. Counts live in the shared cache, so every process agrees.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from customers_ui.accounts import sign_in_events
from customers_ui.accounts.oidc import sso_configured
from customers_ui.core.client_address import client_bucket
from customers_ui.models import SignInEvent

ACCOUNT_PAUSED_TEMPLATE = "registration/account_paused.html"


def _address_key(bucket: str) -> str:
    """Hashed: a bucket may hold spaces or what a client wrote (an unparseable entry), and cache
    keys must stay short and plain for every backend."""
    digest = hashlib.sha256(bucket.encode("utf-8", "replace")).hexdigest()[:32]
    return f"login-failures:address:{digest}"


def account_key(username: str) -> str:
    """The cache key counting failures for what was typed as the username.

    NFKC + casefold, so "Carol" and "carol" count together whatever the database's collation;
    hashed, because the typed text is the client's (any length, any characters, sometimes a
    password typed into the wrong field).
    """
    folded = unicodedata.normalize("NFKC", username).casefold().strip()
    digest = hashlib.sha256(folded.encode("utf-8", "replace")).hexdigest()[:32]
    return f"login-failures:account:{digest}"


def _cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def _count(key: str) -> None:
    timeout = _cool_off_seconds()
    cache.add(key, 0, timeout=timeout)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)


def record_failure(*, request: HttpRequest, username: str = "") -> None:
    """Count one failed password sign-in against this request's address and the account."""
    bucket = client_bucket(request)
    if bucket:
        _count(_address_key(bucket))
    if username:
        _count(account_key(username))


def address_blocked(request: HttpRequest) -> bool:
    bucket = client_bucket(request)
    return (
        bool(bucket) and cache.get(_address_key(bucket), 0) >= settings.LOGIN_FAILURES_PER_ADDRESS
    )


def account_paused(username: str) -> bool:
    """Password sign-in for this account is paused: too many failures from anywhere."""
    return bool(username) and (
        cache.get(account_key(username), 0) >= settings.LOGIN_FAILURES_PER_ACCOUNT
    )


@memoize
def _password_paths() -> frozenset[str]:
    return frozenset({reverse("login"), reverse("admin:login")})


def _refuse(request: HttpRequest, *, username: str, why: str, template: str) -> HttpResponse:
    sign_in_events.record(
        kind=SignInEvent.Kind.SIGN_IN_FAILED,
        request=request,
        username=username,
        method=SignInEvent.Method.PASSWORD,
        detail=f"refused unchecked: {why}",
    )
    minutes = max(1, _cool_off_seconds() // 60)
    context = {"cooloff_minutes": minutes, "sso_configured": sso_configured()}
    return render(request, template, context, status=429)


class LoginThrottleMiddleware:
    """Refuse password POSTs past a limit, before any password is checked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.path not in _password_paths():
            return self.get_response(request)
        username = str(request.POST.get("username", ""))
        if address_blocked(request):
            return _refuse(
                request,
                username=username,
                why="too many failed passwords from this address",
                template=settings.AXES_LOCKOUT_TEMPLATE,
            )
        if account_paused(username):
            return _refuse(
                request,
                username=username,
                why="too many failed passwords for this account",
                template=ACCOUNT_PAUSED_TEMPLATE,
            )
        return self.get_response(request)
