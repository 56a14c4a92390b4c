"""Who is on the other end: the client address as the outermost trusted proxy saw it.

Behind a PaaS router, REMOTE_ADDR is the router and the client's address is in X-Forwarded-For.
Each proxy *appends* the address it received the connection from, so the trustworthy entry is
the TRUSTED_PROXY_COUNT-th from the right; everything to its left was written by the client and
can say anything. Login throttling, the audit trail and sign-in events all ask here.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address: never one the client chose. "" when nothing usable is known."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or ""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    forwarded = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(forwarded) < trusted:
        # Fewer hops than proxies we trust: the header did not come through them all.
        return remote
    return _valid(forwarded[-trusted]) or remote
