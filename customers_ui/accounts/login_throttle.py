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
An attempt counts when it starts, before its password is checked, and is given back unless it
fails: checked after the fact, a burst of guesses sent together all passed the check before any
of them had failed, as many as the servers have threads (tests/accounts/
test_password_guessing_per_account.py).
The address is `client_address.client_bucket` (what the trusted proxies saw; an IPv6 /64 counts
as one), never one the client wrote. Counts live in the shared cache, so every process agrees.
"""

from __future__ import annotations

import contextlib
import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
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


def _count(key: str) -> int:
    """Add one to `key` (atomic where the cache is: Redis, local memory); the count after it."""
    timeout = _cool_off_seconds()
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def _uncount(key: str) -> None:
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing left to give back
        cache.decr(key)


@dataclass
class _Attempt:
    """A password attempt in flight, counted against its address and account when it began."""

    keys: list[str] = field(default_factory=list)
    failed: bool = False


_ATTEMPT = "_login_attempt_in_flight"


def record_failure(*, request: HttpRequest, username: str = "") -> None:
    """Count one failed password sign-in against this request's address and the account (already
    counted if the middleware let the attempt in: it only stays counted)."""
    attempt = getattr(request, _ATTEMPT, None)
    if attempt is not None:
        attempt.failed = True
        return
    for key, _limit, _refusal in _limits(request, username):
        _count(key)


def _limits(
    request: HttpRequest, username: str
) -> list[tuple[str, int, Callable[[HttpRequest, str], HttpResponse]]]:
    """The counters a password attempt goes against, each with its limit and its refusal page:
    the address's (when known), then the typed account's (when one was typed)."""
    limits = []
    if bucket := client_bucket(request):
        address = settings.LOGIN_FAILURES_PER_ADDRESS
        limits.append((_address_key(bucket), address, _address_refused))
    if username:
        account = settings.LOGIN_FAILURES_PER_ACCOUNT
        limits.append((account_key(username), account, _account_refused))
    return limits


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
        attempt = _Attempt()
        for key, limit, refusal in _limits(request, username):
            attempt.keys.append(key)
            if _count(key) > limit:  # past the limit, or another attempt took its last slot
                _give_back(attempt)
                return refusal(request, username)
        setattr(request, _ATTEMPT, attempt)
        try:
            return self.get_response(request)
        finally:
            if not attempt.failed:  # signed in, or never checked (an incomplete form)
                _give_back(attempt)


def _give_back(attempt: _Attempt) -> None:
    for key in attempt.keys:
        _uncount(key)


def _address_refused(request: HttpRequest, username: str) -> HttpResponse:
    return _refuse(
        request,
        username=username,
        why="too many failed passwords from this address",
        template=settings.AXES_LOCKOUT_TEMPLATE,
    )


def _account_refused(request: HttpRequest, username: str) -> HttpResponse:
    return _refuse(
        request,
        username=username,
        why="too many failed passwords for this account",
        template=ACCOUNT_PAUSED_TEMPLATE,
    )
