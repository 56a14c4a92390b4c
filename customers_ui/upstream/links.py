"""Whether a browser may be sent to a Thredfi download link: decided here, and only here.

The detail page (offer a link or not) and the download route (redirect or refuse) both ask
`document_link_followable`, so a link the page shows is exactly a link the route follows.
"""

from __future__ import annotations

from django.conf import settings

from customers_ui.thredfi.records import Document


def document_link_followable(document: Document) -> bool:
    """A well-formed http(s) link with a host (`Document.is_safe_url`, never javascript: or
    data:), over TLS in production.

    Presigned links carry a short-lived secret: in production they must travel over TLS. Plain
    http is accepted only when Thredfi itself is configured over http (the local sandbox).
    """
    if not document.is_safe_url or document.url is None:
        return False
    scheme = document.url.split(":", 1)[0].lower()
    return scheme == "https" or (scheme == "http" and settings.THREDFI_BASE_URL.startswith("http:"))
