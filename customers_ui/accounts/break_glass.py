"""Break-glass: let one named user sign in once with a password while PASSWORD_LOGIN=False.

When the identity provider is down or misconfigured, nobody can sign in through it, admins
included. An operator with a shell on the platform (the same people who can run
`createsuperuser`) runs `manage.py allow_password_login USERNAME`: that user may then sign in
once with their password within the next few minutes. Nothing is a standing exception that could
be forgotten, and every grant is in the sign-in audit trail.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from customers_ui.accounts import sign_in_events as audit
from customers_ui.models import PasswordSignInGrant, SignInEvent

DEFAULT_MINUTES = 30
MAX_MINUTES = 24 * 60


@transaction.atomic
def password_login_allow(
    *, user: AbstractBaseUser, minutes: int = DEFAULT_MINUTES, granted_by: str = ""
) -> PasswordSignInGrant:
    """One password sign-in for `user` within `minutes`; replaces any earlier grant."""
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValueError(f"minutes must be between 1 and {MAX_MINUTES}")
    PasswordSignInGrant.objects.filter(user=user).delete()
    grant = PasswordSignInGrant.objects.create(
        user=user,
        created_by=granted_by[:150],
        expires_at=timezone.now() + timedelta(minutes=minutes),
    )
    audit.record(
        kind=SignInEvent.Kind.PASSWORD_LOGIN_ALLOWED,
        method=SignInEvent.Method.COMMAND,
        user=user,
        actor=granted_by,
        detail=f"one password sign-in until {grant.expires_at:%Y-%m-%d %H:%M} UTC",
    )
    return grant


def password_login_use(*, user: AbstractBaseUser) -> bool:
    """Use up this user's unexpired grant, if any: True means this password sign-in may go on.

    A single DELETE, so two sign-ins racing for one grant cannot both have it.
    """
    deleted, _ = PasswordSignInGrant.objects.filter(
        user=user, expires_at__gt=timezone.now()
    ).delete()
    return deleted > 0
