"""Template context shared by every page."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest
from django.urls import reverse

from customers_ui.lookup.references import MAX_REFERENCE_LENGTH
from customers_ui.thredfi.client import MAX_QUERY_CHARS


@cache
def _fixed_urls() -> dict[str, str]:
    # Reversed once per process: the header's links are the same on every page.
    return {
        "home": reverse("customers_ui:home"),
        "credentials": reverse("customers_ui:credential_list"),
        "admin": reverse("admin:index"),
        "password_change": reverse("password_change"),
        "logout": reverse("logout"),
        "login": reverse("login"),
    }


def fixed_urls(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"urls": _fixed_urls()}


_LIMITS = {"query": MAX_QUERY_CHARS, "reference": MAX_REFERENCE_LENGTH}


def limits(request: HttpRequest) -> dict[str, dict[str, int]]:
    """Input limits for `maxlength` attributes, from the constants the forms enforce."""
    return {"limits": _LIMITS}
