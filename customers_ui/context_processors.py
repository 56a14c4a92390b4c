"""Template context shared by every page."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest
from django.urls import reverse


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
