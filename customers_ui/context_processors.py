"""Template context shared by every page."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse

from customers_ui.lookup.references import MAX_REFERENCE_LENGTH
from customers_ui.thredfi.client import MAX_QUERY_CHARS


@cache
def _fixed_urls() -> dict[str, str]:
    # Reversed once per process: the header's links are the same on every page.
    return {
        "home": reverse("customers_ui:home"),
        "credentials": reverse("customers_ui:credential_list"),
        "businesses": reverse("customers_ui:business_search"),
        "directory_status": reverse("customers_ui:directory_status"),
        "settings": reverse("customers_ui:settings"),
        "admin": reverse("admin:index"),
        "password_change": reverse("password_change"),
        "security": reverse("accounts:security"),
        "logout": reverse("logout"),
        "login": reverse("login"),
    }


def fixed_urls(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"urls": _fixed_urls()}


_LIMITS = {"query": MAX_QUERY_CHARS, "reference": MAX_REFERENCE_LENGTH}


def limits(request: HttpRequest) -> dict[str, dict[str, int]]:
    """Input limits for `maxlength` attributes, from the constants the forms enforce."""
    return {"limits": _LIMITS}


# Files every page links; their hashed names are fixed for the life of a process (~40 µs each to
# look up in the manifest, so looked up once). In DEBUG they can change under a running server.
_ASSETS = {
    "app_css": "css/app.css",
    "directory_css": "css/directory.css",
    "pages_css": "css/pages.css",
    "favicon": "img/favicon.svg",
    "app_js": "js/app.js",
}


@cache
def _asset_urls_once() -> dict[str, str]:
    return _asset_urls()


def _asset_urls() -> dict[str, str]:
    return {name: static(path) for name, path in _ASSETS.items()}


def assets(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"assets": _asset_urls() if settings.DEBUG else _asset_urls_once()}


def account(request: HttpRequest) -> dict[str, object]:
    """The header's account name and password link.

    Read here because the layout is shared by both template engines, and a method call is
    written differently in each (Django calls it for you, Jinja2 needs the brackets).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"account": None}
    return {
        "account": {
            "name": user.get_full_name() or user.get_username(),
            "has_password": user.has_usable_password(),
        }
    }
