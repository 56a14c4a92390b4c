"""A helpdesk ticket reference as a link back to the ticket (HELPDESK_TICKET_URL).

Shared by the detail page ("Opened from ticket ZD-1234") and the audit admin and its CSV export,
so all three link the same way. The reference came from a URL anyone could write, so it is
URL-quoted into the template, and only an http(s) result is ever offered as a link: a template or
reference that would make a `javascript:` or relative link gives no link at all.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from django.conf import settings

PLACEHOLDER = "{ticket}"


def ticket_url(ticket_ref: str) -> str:
    """The ticket's address in the helpdesk, or "" when there is none to offer."""
    template = settings.HELPDESK_TICKET_URL
    if not ticket_ref or not template or PLACEHOLDER not in template:
        return ""
    url = template.replace(PLACEHOLDER, quote(ticket_ref, safe=""))
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("https", "http") or not parts.netloc:
        return ""
    return url
