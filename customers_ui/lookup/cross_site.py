"""May this `/go` request act at once, or must the person confirm it first?

`/go` is a GET that calls Thredfi and writes audit rows, and a link in a ticket is a cross-site
navigation, so any site could plant the same link. It acts at once only when:
- the browser says the navigation began here or was typed/bookmarked (`Sec-Fetch-Site:
  same-origin` / `none`; a page cannot forge these headers), or
- the browser sends `Sec-Fetch-Site` and the `Referer`'s origin is a listed helpdesk
  (`HELPDESK_ORIGINS`; a page can hide its Referer but never claim another origin's), or
- the person just confirmed this very link on our confirmation page (a POST with a CSRF token),
  or just signed in to reach it.
Anything else (another site, no Referer, a browser without `Sec-Fetch-*`) gets the confirmation
page, which calls nothing upstream.

The confirmation's button is a POST with Django's CSRF token, not a link: a GET any site can
send is exactly what this guards against, and a same-origin link would also loop forever in
browsers that send no `Sec-Fetch-Site`. The POST leaves a one-time, short-lived mark for the
exact parameters and redirects to the GET, which consumes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from customers_ui.accounts.session_state import signed_in_for_take
from customers_ui.core.problems import BadLookupInput
from customers_ui.lookup.go_links import go_link_parse

CONFIRMED_SESSION_KEY = "lookup.go_confirmed"
CONFIRMATION_SECONDS = 300
_ACTING_SITES = ("same-origin", "none")
_DEFAULT_PORTS = {"https": 443, "http": 80}

clock: Callable[[], float] = time.time


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lowercased, default port dropped; "" if it has none."""
    try:
        parts = urlsplit(url.strip())
        scheme, host, port = parts.scheme.lower(), (parts.hostname or ""), parts.port
    except ValueError:
        return ""
    if scheme not in _DEFAULT_PORTS or not host:
        return ""
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def helpdesk_origins(configured: Iterable[str] | None = None) -> frozenset[str]:
    """HELPDESK_ORIGINS, each spelled the way `origin_of` spells a Referer's origin."""
    values = settings.HELPDESK_ORIGINS if configured is None else configured
    return frozenset(filter(None, (origin_of(value) for value in values)))


def referer_origin(request: HttpRequest) -> str:
    return origin_of(request.headers.get("Referer", "")[:2000])


def referer_listed(request: HttpRequest) -> bool:
    """The Referer's origin is a listed helpdesk (whatever else the browser said)."""
    origin = referer_origin(request)
    return bool(origin) and origin in helpdesk_origins()


def from_listed_helpdesk(request: HttpRequest) -> bool:
    """The browser sent Sec-Fetch-* and its Referer's origin is a listed helpdesk."""
    return bool(request.headers.get("Sec-Fetch-Site")) and referer_listed(request)


def confirmation_remember(session: MutableMapping[str, Any], *, query: str) -> None:
    """The person pressed "Open this customer" (a POST that passed CSRF) for this link."""
    session[CONFIRMED_SESSION_KEY] = {"query": query, "at": clock()}


def _confirmed(session: MutableMapping[str, Any], query: str) -> bool:
    mark = session.get(CONFIRMED_SESSION_KEY)
    if not isinstance(mark, dict) or mark.get("query") != query:
        return False
    del session[CONFIRMED_SESSION_KEY]  # once
    return 0 <= clock() - float(mark.get("at", 0)) <= CONFIRMATION_SECONDS


def _same_link(url: str, query: str) -> bool:
    """`url` (where a sign-in was headed) is this very `/go` link, however it was spelled."""
    parts = urlsplit(url)
    if parts.path != reverse("customers_ui:go"):
        return False
    try:
        return go_link_parse(dict(parse_qsl(parts.query))).query == query
    except BadLookupInput:
        return False


def go_may_act(request: HttpRequest, *, query: str) -> bool:
    """True when `/go` may call Thredfi now; False: show the confirmation page."""
    if _confirmed(request.session, query):
        return True
    signed_in_for = signed_in_for_take(request)
    if signed_in_for and _same_link(signed_in_for, query):
        return True
    site = request.headers.get("Sec-Fetch-Site", "")
    if site in _ACTING_SITES:
        return True
    return from_listed_helpdesk(request)
