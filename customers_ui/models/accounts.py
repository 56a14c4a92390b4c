"""How people sign in: single sign-on identities, the sign-in audit trail, notices, break-glass.

Second factors themselves are django-otp devices of our own (models/second_factors.py: the seed
encrypted, recovery codes hashed); these are the pieces django-otp and Django's auth do not have.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from customers_ui.models.audit import AppendOnlyQuerySet


class SSOIdentity(models.Model):
    """One OpenID Connect account (issuer + subject) linked to one dashboard user.

    The subject is the only stable name a provider gives an account: e-mail addresses change and
    get reused, so a sign-in is matched on (issuer, subject) and never on an e-mail address.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    # What the provider last said, for people reading the admin; never used to match.
    email = models.EmailField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "single sign-on identity"
        verbose_name_plural = "single sign-on identities"
        ordering = ["issuer", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_sso_identity"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"


class SignInEvent(models.Model):
    """One sign-in, failure, sign-out or second-factor change, kept for audit. Append-only."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
        SIGN_OUT = "sign_out", "Signed out"
        MFA_VERIFIED = "mfa_verified", "Second factor verified"
        MFA_SETUP_STARTED = "mfa_setup_started", "Second-factor setup key shown"
        MFA_ENROLLED = "mfa_enrolled", "Second factor added"
        MFA_REMOVED = "mfa_removed", "Second factor removed by its owner"
        MFA_RESET = "mfa_reset", "Second factor reset by an administrator"
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", "Recovery codes replaced"
        SSO_USER_CREATED = "sso_user_created", "Account created by single sign-on"
        SSO_REFUSED = "sso_refused", "Single sign-on refused"
        PASSWORD_LOGIN_ALLOWED = "password_login_allowed", "Break-glass password sign-in allowed"

    class Method(models.TextChoices):
        PASSWORD = "password", "Password"
        SSO = "sso", "Single sign-on"
        TOTP = "totp", "Authenticator app"
        RECOVERY_CODE = "recovery_code", "Recovery code"
        ADMIN = "admin", "Admin site"
        COMMAND = "command", "Management command"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    # Whose sign-in it was; `username` keeps what was typed even when it matches no account.
    # Deleting a user leaves the row as it was: the trail is never updated (see LookupEvent.user).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="sign_in_events",
    )
    username = models.CharField(max_length=254, blank=True)
    # Who did it, when not the person themselves (an administrator resetting a second factor).
    actor = models.CharField(max_length=150, blank=True)
    # From `client_address.client_ip`: what the trusted proxies saw, never what the client wrote.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="sign_in_user_recent")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username or '—'} {self.kind}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("sign-in events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("sign-in events are append-only")


class SignInNotice(models.Model):
    """Something a user must be told the next time they sign in, told once.

    An administrator resetting someone's second factor leaves one, so the person learns it was
    not their own doing (and can raise the alarm if they did not ask for it).
    """

    class Kind(models.TextChoices):
        MFA_RESET = "mfa_reset", "Second factor reset by an administrator"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(delivered_at__isnull=True),
                name="sign_in_notice_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id}"


class PasswordSignInGrant(models.Model):
    """Break-glass: one password sign-in for one user while PASSWORD_LOGIN=False, until expiry.

    Made only by `manage.py allow_password_login` (so only by someone with a shell on the
    platform), used up by the first successful password sign-in.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_sign_in_grants"
    )
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"password sign-in for {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"
