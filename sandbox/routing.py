"""Which function answers which path: Thredfi's routes, the document URLs and ``/_sandbox/``.

Every route has a name, used by ``/_sandbox/stats`` to count requests per route (``unknown`` for
paths that match nothing), and every pattern accepts paths with and without the trailing slash.
Route functions take the handler plus the pattern's named groups (``*_id`` groups lower-cased).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sandbox import auth, control, resources


@dataclass(frozen=True)
class Route:
    methods: frozenset[str]
    pattern: re.Pattern[str]
    name: str
    answer: Callable[..., None]


def _route(methods: str, pattern: str, name: str, answer: Callable[..., None]) -> Route:
    return Route(frozenset(methods.split()), re.compile(pattern), name, answer)


ROUTES = [
    _route("POST", r"^/v1/platform/oauth2/token/?$", "partner_token", auth.partner_token),
    _route("GET", r"^/v1/platform/businesses/?$", "list_businesses", resources.list_businesses),
    _route(
        "POST",
        r"^/v1/platform/(?P<business_id>[^/]+)/oauth2/token/?$",
        "business_token",
        auth.business_token,
    ),
    _route(
        "GET",
        r"^/v1/platform/businesses/(?P<business_id>[^/]+)/?$",
        "get_business",
        resources.get_business,
    ),
    _route(
        "GET",
        r"^/v1/platform/businesses/(?P<business_id>[^/]+)/customers/?$",
        "list_customers",
        resources.list_customers,
    ),
    _route(
        "GET",
        r"^/v1/platform/businesses/(?P<business_id>[^/]+)/customers/(?P<customer_id>[^/]+)/?$",
        "get_customer",
        resources.get_customer,
    ),
    _route(
        "GET",
        r"^/files/(?P<document_id>[^/]+)/(?P<file_name>[^/]+)$",
        "download",
        resources.download,
    ),
    _route("GET POST", r"^/_sandbox/(?P<action>[a-z-]+)/?$", "control", control.dispatch),
]


def match(path: str) -> tuple[Route | None, re.Match[str] | None]:
    """The first route whose pattern matches ``path`` (method checked by the caller)."""
    for route in ROUTES:
        found = route.pattern.match(path)
        if found is not None:
            return route, found
    return None, None
