"""Authentication backends: one per way of proving who you are, so a session knows how it began.

Django stores the backend's dotted path in the session, so `session_state.sign_in_method` tells
a password sign-in from a single sign-on one (audit trail, second-factor rules) with no extra
session key.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest

from customers_ui.accounts import break_glass
from customers_ui.models import AuthenticatorApp

# Set on every user a session loads: whether they have a confirmed authenticator (mfa.py).
ENROLLED_ATTRIBUTE = "otp_enrolled"


class _SessionUserMixin:
    """Load the session's user with "has a second factor?" in the same query: the
    second-factor gate asks on every page, and a page's query budget has no room for one more.

    Written as SQL rather than ``annotate(Exists(...))``: this runs on every request, and the ORM
    took about 1 ms of CPU to compile that subquery each time (the raw query: ~0.2 ms).
    """

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        rows = user_model._default_manager.raw(_user_query(), [True, pk])
        found = next(iter(rows), None)
        if found is None:
            return None
        setattr(found, ENROLLED_ATTRIBUTE, bool(getattr(found, ENROLLED_ATTRIBUTE)))
        return found if self.user_can_authenticate(found) else None  # type: ignore[attr-defined]


@cache
def _user_query() -> str:
    user_meta = get_user_model()._meta
    device_meta = AuthenticatorApp._meta
    quote = connection.ops.quote_name
    user_pk = quote(user_meta.pk.column)
    owner = quote(device_meta.get_field("user").column)
    confirmed = quote(device_meta.get_field("confirmed").column)
    return (
        f"SELECT u.*, EXISTS(SELECT 1 FROM {quote(device_meta.db_table)} d "  # noqa: S608 - names from models
        f"WHERE d.{owner} = u.{user_pk} AND d.{confirmed} = %s) AS {ENROLLED_ATTRIBUTE} "
        f"FROM {quote(user_meta.db_table)} u WHERE u.{user_pk} = %s"
    )


class PasswordBackend(_SessionUserMixin, ModelBackend):
    """Username + password, as Django's ModelBackend, unless PASSWORD_LOGIN=False.

    With password sign-in turned off, a correct password is still refused, except once for a user
    an operator allowed with `manage.py allow_password_login` (break-glass). The check lives here,
    not in the login view, so every password form (the login page, the admin's) obeys it.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or settings.PASSWORD_LOGIN:
            return user
        return user if break_glass.password_login_use(user=user) else None


class SSOBackend(_SessionUserMixin, ModelBackend):
    """Sessions begun by single sign-on. It never checks credentials itself (`authenticate` is
    always None): the SSO callback verifies the ID token and logs the user in with this backend.
    Loading the session's user is ModelBackend's, so a deactivated user's session ends."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> None:
        return None
