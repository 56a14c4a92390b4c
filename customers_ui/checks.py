"""System checks: refuse to run (migrate, runserver, deploy) with unusable encryption keys.

Without this, a typo in CREDENTIALS_ENCRYPTION_KEYS shows up only when someone first saves or
uses a credential. Messages never include key material.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

from customers_ui.core import crypto

HINT = (
    "Set CREDENTIALS_ENCRYPTION_KEYS to a comma-separated list of Fernet keys (the first one "
    "encrypts, all decrypt). Make one with `python manage.py generate_encryption_key`."
)


@register("security")
def check_credentials_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    keys = getattr(settings, "CREDENTIALS_ENCRYPTION_KEYS", None)
    if not keys or not isinstance(keys, list | tuple):
        return [
            Error(
                "CREDENTIALS_ENCRYPTION_KEYS is empty: stored API keys cannot be encrypted.",
                hint=HINT,
                id="customers_ui.E001",
            )
        ]
    try:
        crypto.check_keys()
    except ImproperlyConfigured:
        return [
            Error(
                f"CREDENTIALS_ENCRYPTION_KEYS holds a value that is not a valid Fernet key "
                f"({len(keys)} configured).",
                hint=HINT,
                id="customers_ui.E002",
            )
        ]
    return []


@register()
def check_helpdesk_links(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`/go` settings that would silently do nothing: an origin that is not one (a path, a
        wildcard, no scheme) never matches a Referer; a ticket URL without `{ticket}` or not http(s)
        links nothing; a summary layout that does not compile is replaced by the default; a ticket
    kept for less than a minute reaches no audit row."""
    from urllib.parse import urlsplit

    from customers_ui.lookup.cross_site import origin_of
    from customers_ui.lookup.summary import summary_template_error

    messages: list[CheckMessage] = []
    for entry in settings.HELPDESK_ORIGINS:
        parts = urlsplit(entry)
        if not origin_of(entry) or parts.path not in ("", "/") or parts.query or "*" in entry:
            messages.append(
                Warning(
                    f"HELPDESK_ORIGINS entry {entry[:100]!r} is not an origin: it matches nothing.",
                    hint="List exact origins, scheme://host[:port], no paths or wildcards.",
                    id="customers_ui.W010",
                )
            )
    ticket_url = settings.HELPDESK_TICKET_URL
    if ticket_url and (
        "{ticket}" not in ticket_url or not ticket_url.lower().startswith(("https://", "http://"))
    ):
        messages.append(
            Warning(
                "HELPDESK_TICKET_URL needs an http(s) URL with {ticket} in it: tickets are not "
                "linked.",
                id="customers_ui.W011",
            )
        )
    error = summary_template_error(settings.LOOKUP_SUMMARY_TEMPLATE)
    if error:
        messages.append(
            Warning(
                f"LOOKUP_SUMMARY_TEMPLATE does not compile ({error}): the default layout is used.",
                id="customers_ui.W012",
            )
        )
    if settings.TICKET_CONTEXT_MINUTES < 1:
        messages.append(
            Warning(
                "TICKET_CONTEXT_MINUTES is below 1: a /go link's ticket reaches no audit row, "
                "not even the row of the lookup the link opens.",
                hint="Set it to the minutes a ticket stays the reason for lookups (default 30).",
                id="customers_ui.W013",
            )
        )
    return messages
