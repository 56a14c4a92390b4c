"""The sign-in audit trail: who signed in or failed to, when, from where, and how.

Sign-in, failure and sign-out come from Django's auth signals, so every way in is covered (the
login page, the admin's login page, single sign-on) without each view remembering to record.
Second-factor and single sign-on events are recorded by the use cases that cause them. The
address is always `client_address.client_ip`: the one the trusted proxies saw, never one the
client wrote.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from customers_ui.accounts.session_state import sign_in_method
from customers_ui.core.client_address import client_ip
from customers_ui.models import SignInEvent

logger = logging.getLogger(__name__)


def record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: AbstractBaseUser | None = None,
    username: str = "",
    method: str = "",
    actor: str = "",
    detail: str = "",
) -> SignInEvent:
    """Append one sign-in event. `username` defaults to the user's; what was typed otherwise."""
    if user is not None and not username:
        username = user.get_username()
    address = client_ip(request) if request is not None else ""
    event = SignInEvent.objects.create(
        kind=kind,
        method=method,
        user=user if user is not None and user.pk else None,
        username=username[:254],
        actor=actor[:150],
        ip_address=address or None,
        detail=detail[:255],
    )
    # Never the typed username in logs: people type passwords into that field by mistake. The
    # event row, which only staff read, keeps it.
    logger.info("sign-in event %s via %s (user %s)", kind, method or "-", event.user_id or "-")
    return event


@receiver(user_logged_in, dispatch_uid="customers_ui.accounts.sign_in_events.signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **_: Any) -> None:
    method = sign_in_method(request) if request is not None else ""
    record(kind=SignInEvent.Kind.SIGN_IN, request=request, user=user, method=method)


@receiver(user_login_failed, dispatch_uid="customers_ui.accounts.sign_in_events.sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any
) -> None:
    typed = str(credentials.get("username") or "")
    locked = request is not None and getattr(request, "axes_locked_out", False)
    record(
        kind=SignInEvent.Kind.SIGN_IN_FAILED,
        request=request,
        username=typed,
        method=SignInEvent.Method.PASSWORD,
        detail="locked out after repeated failures" if locked else "",
    )


@receiver(user_logged_out, dispatch_uid="customers_ui.accounts.sign_in_events.signed_out")
def _signed_out(sender: Any, request: HttpRequest, user: AbstractBaseUser | None, **_: Any) -> None:
    if user is None:  # nobody was signed in: nothing to record
        return
    record(kind=SignInEvent.Kind.SIGN_OUT, request=request, user=user)
