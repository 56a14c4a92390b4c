"""Anonymous hits on the single sign-on callback: throttled per address, collapsed in the trail.

The callback needs no session and no password, so anyone can hit it in a loop, and each refusal
used to write a sign-in event: a cheap way to flood the audit trail and the database. Now:
- every refusal (but the provider's own outages, which are not the visitor's doing) counts
  against the visitor's address, an IPv6 /64 counting as one; past
  SSO_CALLBACK_FAILURES_PER_ADDRESS within the cool-off (AXES_COOLOFF_MINUTES) the address is
  answered 429 before the provider is asked anything;
- a refusal repeated from one address (same reason, same name) is recorded once per cool-off; the
  repeats are counted, and the row written when the throttle starts says how many there were;
- the throttle itself is recorded once per address and cool-off, not once per hit.
The address is `client_address.client_bucket`, as for failed password sign-ins; counts live in
the shared cache, so every process agrees.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from customers_ui.core.client_address import client_bucket


def cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def _bucket(request: HttpRequest) -> str:
    """Who the hits count against: the same bucket as failed password sign-ins (an IPv6 /64 as
    one; never the router's address for everyone behind it, never "" for an unparseable entry)."""
    return client_bucket(request)


def _count_key(bucket: str) -> str:
    # Hashed: a bucket may hold spaces ("<router> via <client>") or the client's own text.
    return "sso-callback-refusals:" + hashlib.sha256(bucket.encode()).hexdigest()[:32]


def _incr(key: str) -> int:
    cache.add(key, 0, timeout=cool_off_seconds())
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=cool_off_seconds())
        return 1


def refusals_so_far(request: HttpRequest) -> int:
    bucket = _bucket(request)
    return int(cache.get(_count_key(bucket), 0)) if bucket else 0


def callback_blocked(request: HttpRequest) -> bool:
    """This address is past its limit: answer 429 without asking the provider."""
    return refusals_so_far(request) >= settings.SSO_CALLBACK_FAILURES_PER_ADDRESS


def refusal_counted(request: HttpRequest) -> None:
    bucket = _bucket(request)
    if bucket:
        _incr(_count_key(bucket))


def first_in_cool_off(request: HttpRequest, *, what: str) -> bool:
    """True once per address, `what` and cool-off: whether this occurrence gets an audit row."""
    bucket = _bucket(request)
    if not bucket:
        return True
    digest = hashlib.sha256(f"{bucket}\n{what}".encode()).hexdigest()[:32]
    return bool(cache.add(f"sso-callback-recorded:{digest}", 1, timeout=cool_off_seconds()))
