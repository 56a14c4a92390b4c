"""What a session says about how it signed in: by which method, and whether the identity
provider already did a second factor.

Django stores the authentication backend's dotted path in the session, so the method needs no
key of its own. The provider's second factor is one boolean set by the single sign-on callback
and forgotten at every sign-in, so a later password sign-in in the same browser never inherits it.
"""

from __future__ import annotations

import time

from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY

SSO_BACKEND = "customers_ui.accounts.backends.SSOBackend"

PROVIDER_MFA_SESSION_KEY = "accounts.provider_mfa"
SSO_NEXT_SESSION_KEY = "accounts.sso_next"
# Where the sign-in that just finished was headed (its `next`), for one request: a page that
# guards against cross-site GETs (`/go`) may trust a navigation the person signed in to reach,
# even when the last hop came from the identity provider's site.
SIGNED_IN_FOR_SESSION_KEY = "accounts.signed_in_for"
SIGNED_IN_FOR_SECONDS = 300


def sign_in_method(request: HttpRequest) -> str:
    """ "sso" or "password": how the current session signed in ("" when nobody has)."""
    session = getattr(request, "session", None)
    backend = session.get(BACKEND_SESSION_KEY, "") if session is not None else ""
    if not backend:
        return ""
    return "sso" if backend == SSO_BACKEND else "password"


def provider_mfa_remember(*, request: HttpRequest, done: bool) -> None:
    """Record, right after an SSO sign-in, whether the provider did a second factor."""
    request.session[PROVIDER_MFA_SESSION_KEY] = bool(done)


def provider_mfa_done(request: HttpRequest) -> bool:
    """True only for a session signed in by SSO whose provider said it did a second factor."""
    return (
        sign_in_method(request) == "sso"
        and request.session.get(PROVIDER_MFA_SESSION_KEY, False) is True
    )


def forget_second_factor(request: HttpRequest) -> None:
    """Called at every sign-in: the new sign-in proves its second factor afresh."""
    request.session.pop(PROVIDER_MFA_SESSION_KEY, None)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)


def signed_in_for_remember(*, request: HttpRequest, next_url: str) -> None:
    """Called when a sign-in (or its second factor) completes and sends the browser to
    `next_url` (already checked to be one of our own URLs)."""
    if next_url:
        request.session[SIGNED_IN_FOR_SESSION_KEY] = {"url": next_url, "at": time.time()}


def signed_in_for_take(request: HttpRequest) -> str:
    """Where the sign-in that just finished was headed ("" if none, or too long ago); once."""
    session = getattr(request, "session", None)
    mark = session.pop(SIGNED_IN_FOR_SESSION_KEY, None) if session is not None else None
    if not isinstance(mark, dict):
        return ""
    if not 0 <= time.time() - float(mark.get("at", 0)) <= SIGNED_IN_FOR_SECONDS:
        return ""
    return str(mark.get("url", ""))
