"""Telling a user, once, at their next sign-in, what an administrator did to their account.

A reset second factor is the case today: the person must learn it was done to them, so that if
they never asked for it they can raise the alarm. The notice is a row, not a message in someone
else's session, because the administrator acts while the user is signed out (or elsewhere).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from customers_ui.models import SignInNotice


def notice_leave(*, user: AbstractBaseUser, kind: str, created_by: str = "") -> SignInNotice:
    return SignInNotice.objects.create(user=user, kind=kind, created_by=created_by[:150])


def _words(notice: SignInNotice) -> str:
    when = date_format(timezone.localtime(notice.created_at), "j F Y, H:i")
    if notice.kind == SignInNotice.Kind.MFA_RESET:
        return (
            f"An administrator reset your two-factor authentication on {when}, so your "
            "authenticator app and recovery codes no longer work here. Set it up again under "
            "Security. If you did not ask for this, tell your security team."
        )
    return f"An administrator changed your account on {when}."  # pragma: no cover - one kind


def notices_deliver(*, request: HttpRequest, user: AbstractBaseUser) -> int:
    """Show the user's undelivered notices as messages and mark them delivered."""
    if not hasattr(request, "_messages"):  # no message storage (e.g. a test's force_login)
        return 0
    pending = list(SignInNotice.objects.filter(user=user, delivered_at__isnull=True))
    for notice in pending:
        messages.warning(request, _words(notice))
    if pending:
        SignInNotice.objects.filter(pk__in=[n.pk for n in pending]).update(
            delivered_at=timezone.now()
        )
    return len(pending)


@receiver(user_logged_in, dispatch_uid="customers_ui.accounts.notices.deliver")
def _deliver_on_sign_in(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **_: Any
) -> None:
    if request is not None:
        notices_deliver(request=request, user=user)
