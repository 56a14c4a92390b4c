"""Who is on the other end: the client address as the outermost trusted proxy saw it.

Behind a PaaS router, REMOTE_ADDR is the router and the client's address is in X-Forwarded-For.
Each proxy *appends* the address it received the connection from, so the trustworthy entry is
the TRUSTED_PROXY_COUNT-th from the right; everything to its left was written by the client and
can say anything. Login throttling, the audit trail and sign-in events all ask here.

Two answers, for two jobs:
- `client_ip`: an address the audit trail can vouch for ("" when there is none). Never one the
  client wrote, never the router's in place of an entry that did not parse.
- `client_bucket`: who a failed sign-in is counted against (lockouts, spraying limit). It must
  never lump every client into the router's bucket (then 20 failures from anyone would lock out
  everyone): an entry that does not parse is a bucket of its own; with TRUSTED_PROXY_COUNT=0 but
  an X-Forwarded-For present and a connection from a private network (a router nobody told us
  about) the bucket is the router plus the entry it appended; from a public address the header
  is the client's own text and is ignored (a client reaching the dashboard directly must not
  pick its bucket); IPv6 clients count per /64, the block one site gets, so rotating addresses
  inside it buys an attacker nothing.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import re

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

IPV6_BUCKET_PREFIX = 64
# "[v6]" or "[v6]:port", and "v4:port" (routers that append the client's port).
_BRACKETED = re.compile(r"^\[(?P<host>[0-9A-Fa-f:.]+)\](?::\d{1,5})?$")
_V4_WITH_PORT = re.compile(r"^(?P<host>\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$")

# Where a platform's router connects from: private, shared (carrier-grade NAT) and loopback
# networks. A connection from anywhere else is the client itself (or a proxy on the internet).
ROUTER_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
    )
)

_warned_untrusted_forwarding = False


def parse_address(entry: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """One X-Forwarded-For entry (or REMOTE_ADDR) as an address: plain, `v4:port`, `[v6]` or
    `[v6]:port`. None when it is anything else."""
    text = entry.strip()
    match = _BRACKETED.match(text) or _V4_WITH_PORT.match(text)
    if match:
        text = match.group("host")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _forwarded_entries(request: HttpRequest) -> list[str]:
    return [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]


def _trusted_entry(request: HttpRequest) -> str | None:
    """The entry the outermost trusted proxy appended; None when there is none to read (no
    proxy trusted, or fewer hops than trusted proxies: the header did not come through them)."""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return None
    forwarded = _forwarded_entries(request)
    if len(forwarded) < trusted:
        return None
    return forwarded[-trusted]


def _remote(request: HttpRequest) -> str:
    address = parse_address(request.META.get("REMOTE_ADDR", ""))
    return str(address) if address is not None else ""


def client_ip(request: HttpRequest) -> str:
    """The client's address: never one the client chose. "" when nothing usable is known."""
    entry = _trusted_entry(request)
    if entry is None:
        return _remote(request)
    address = parse_address(entry)
    return str(address) if address is not None else ""


def _unmapped(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _bucket_of(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    address = _unmapped(address)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/{IPV6_BUCKET_PREFIX}", strict=False))
    return str(address)


def _unparsed_bucket(entry: str) -> str:
    # Hashed: the entry is the client's own text, of any length and characters.
    return "unparsed:" + hashlib.sha256(entry.encode("utf-8", "replace")).hexdigest()[:24]


def client_bucket(request: HttpRequest) -> str:
    """What failed sign-ins from this request count against (never the router for everyone)."""
    entry = _trusted_entry(request)
    if entry is not None:
        address = parse_address(entry)
        return _bucket_of(address) if address is not None else _unparsed_bucket(entry)
    remote = parse_address(request.META.get("REMOTE_ADDR", ""))
    remote_bucket = _bucket_of(remote) if remote is not None else ""
    forwarded = _forwarded_entries(request)
    if settings.TRUSTED_PROXY_COUNT > 0 or not forwarded or not _from_a_router(remote):
        return remote_bucket
    # A proxy is in front but none is trusted. Counting on the proxy's own address would put
    # every client in one bucket; the entry the proxy appended (right-most) tells them apart.
    _warn_untrusted_forwarding()
    appended = parse_address(forwarded[-1])
    via = _bucket_of(appended) if appended is not None else _unparsed_bucket(forwarded[-1])
    return f"{remote_bucket} via {via}"


def _from_a_router(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    if address is None:
        return False
    address = _unmapped(address)
    return any(address in network for network in ROUTER_NETWORKS)


def _warn_untrusted_forwarding() -> None:
    global _warned_untrusted_forwarding  # once per process is the point
    if not _warned_untrusted_forwarding:
        _warned_untrusted_forwarding = True
        logger.warning(
            "X-Forwarded-For arrives but TRUSTED_PROXY_COUNT=0: set TRUSTED_PROXY_COUNT to the "
            "number of proxies in front of the dashboard (docs/sign-in.md)"
        )
