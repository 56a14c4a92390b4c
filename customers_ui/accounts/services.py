"""Single sign-on use case: who an ID token's claims are, here.

A sign-in is matched on (issuer, subject), the one name a provider never reuses, and never on an
e-mail address: addresses change, and a leaver's address may be given to someone new. The first
sign-in of an unknown subject creates an ordinary (not staff) user, but only for an e-mail domain
in OIDC_ALLOWED_EMAIL_DOMAINS that the provider says (with a real `true`) is verified, and, with
Google, of an allowed organisation (`hd`). Those checks run at every sign-in, so moving someone
out of an allowed domain locks them out here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from customers_ui.accounts import sign_in_events as audit
from customers_ui.accounts.refusals import SSORefused
from customers_ui.models import SignInEvent, SSOIdentity

USERNAME_MAX = 150
ASK_ADMIN = "Ask your administrator if you should have access."


@dataclass(frozen=True, slots=True)
class SSOSignIn:
    user: AbstractBaseUser
    provider_mfa: bool


# RFC 8176 values that name a way of proving who you are. Left out on purpose: `mfa` and `mca`
# (summaries, trusted through OIDC_MFA_AMR_VALUES), `geo` and `rba` (where you are, how risky it
# looks) and `user` (a presence test): none of them is a factor of its own.
AUTHENTICATION_METHODS = frozenset(
    {"face", "fpt", "hwk", "iris", "kba", "otp", "pin", "pop", "pwd", "retina", "sc", "sms"}
    | {"swk", "tel", "vbm", "wia"}
)


def provider_did_mfa(claims: Mapping[str, Any]) -> bool:
    """Whether the ID token's `amr` (RFC 8176) shows the provider did multi-factor sign-in.

    It does when `amr` holds a value of OIDC_MFA_AMR_VALUES (default: `mfa`) or, with
    OIDC_MFA_TWO_METHODS, two different authentication methods (`pwd` + `otp`). One method is
    one factor, however strong it sounds: `otp` alone may be a passwordless e-mailed code, `hwk`
    alone a security key without a PIN. Providers that send no `amr` (Google) never count: the
    dashboard then asks for its own second factor wherever MFA_REQUIRED or the user's own
    enrolment says so.
    """
    if not settings.OIDC_TRUST_PROVIDER_MFA:
        return False
    amr = claims.get("amr")
    if not isinstance(amr, list):
        return False
    values = {value for value in amr if isinstance(value, str)}
    if values & set(settings.OIDC_MFA_AMR_VALUES):
        return True
    return settings.OIDC_MFA_TWO_METHODS and len(values & AUTHENTICATION_METHODS) >= 2


def _email_allowed(*, claims: Mapping[str, Any], provider: str) -> str:
    """The e-mail address, once it passes the domain and verification rules."""
    email = claims.get("email")
    who = str(claims.get("sub", ""))
    if not isinstance(email, str) or "@" not in email:
        raise SSORefused(
            "no_email",
            f"{provider} did not tell us your e-mail address, so we cannot tell whether you may "
            f"use this dashboard. {ASK_ADMIN}",
            username=who,
        )
    email = email.strip()
    domain = email.rsplit("@", 1)[1].lower()
    if domain not in settings.OIDC_ALLOWED_EMAIL_DOMAINS:
        raise SSORefused(
            f"email_domain_not_allowed: {domain}"[:255],
            f"Accounts from {domain} cannot use this dashboard, so you were not signed in. "
            + ASK_ADMIN,
            username=email,
        )
    # Only the JSON boolean true: a missing claim, null, "false" (truthy as a string!) or "true"
    # is not the provider saying it checked the address. OIDC_REQUIRE_EMAIL_VERIFIED=False lets a
    # provider that never sends the claim through; one that sends something else still refuses.
    verified = claims.get("email_verified")
    if verified is not True and (
        settings.OIDC_REQUIRE_EMAIL_VERIFIED or "email_verified" in claims
    ):
        raise SSORefused(
            "email_not_verified",
            f"{provider} did not confirm your e-mail address {email}: it is not verified yet, "
            f"or {provider} does not say so. You were not signed in. Verify it with {provider} "
            "first, then try again.",
            username=email,
        )
    _hosted_domain_allowed(claims=claims, email=email)
    return email


def _hosted_domain_allowed(*, claims: Mapping[str, Any], email: str) -> None:
    """Google's `hd` (the Workspace organisation) must be an allowed domain too.

    An address in an allowed domain is not enough with Google: anyone can register a consumer
    Google account with a company address, and its token has no `hd`. OIDC_REQUIRE_HOSTED_DOMAIN
    (the default with Google's issuer) refuses those; a present `hd` is always checked.
    """
    hosted = claims.get("hd")
    if hosted is None and not settings.OIDC_REQUIRE_HOSTED_DOMAIN:
        return
    if not isinstance(hosted, str) or not hosted.strip():
        raise SSORefused(
            "no_hosted_domain",
            f"You signed in with a personal account, not your organisation's, so you were not "
            f"signed in. Sign in with your work account. {ASK_ADMIN}",
            username=email,
        )
    domain = hosted.strip().lower()
    if domain not in settings.OIDC_ALLOWED_EMAIL_DOMAINS:
        raise SSORefused(
            f"hosted_domain_not_allowed: {domain}"[:255],
            f"Accounts of {domain} cannot use this dashboard, so you were not signed in. "
            + ASK_ADMIN,
            username=email,
        )


def _names(claims: Mapping[str, Any]) -> tuple[str, str]:
    given, family = claims.get("given_name"), claims.get("family_name")
    if isinstance(given, str) or isinstance(family, str):
        return (given or "")[:150], (family or "")[:150]
    name = claims.get("name")
    return ((name if isinstance(name, str) else "")[:150], "")


def _free_username(email: str) -> str:
    """The e-mail address, or (when an account already has it as its name) the address with a
    number: the new account is never merged into the existing one."""
    user_model = get_user_model()
    base = email.lower()[:USERNAME_MAX]
    candidate, n = base, 1
    while user_model.objects.filter(username__iexact=candidate).exists():
        n += 1
        suffix = f"-{n}"
        candidate = base[: USERNAME_MAX - len(suffix)] + suffix
    return candidate


def _refuse_inactive(user: AbstractBaseUser, email: str) -> None:
    if not user.is_active:
        raise SSORefused(
            "user_inactive",
            f"Your account here ({user.get_username()}) is deactivated, so you were not signed "
            f"in. {ASK_ADMIN}",
            username=email or user.get_username(),
            user=user,
        )


@transaction.atomic
def sso_sign_in(*, request: HttpRequest, claims: Mapping[str, Any]) -> SSOSignIn:
    """The dashboard user for verified ID-token claims, created on first sign-in.

    Raises `SSORefused` (nobody signed in) for a disallowed or unverified e-mail address, a
    missing address, or a deactivated user. The caller logs the returned user in.
    """
    issuer = settings.OIDC_ISSUER
    subject = str(claims["sub"])
    provider = settings.OIDC_PROVIDER_NAME
    email = _email_allowed(claims=claims, provider=provider)
    first_name, last_name = _names(claims)

    identity = (
        SSOIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        identity, user = _create_user(
            request=request,
            issuer=issuer,
            subject=subject,
            email=email,
            names=(first_name, last_name),
        )
    else:
        user = identity.user
        _refuse_inactive(user, email)
        # The provider is the source of truth for contact details; never for who the user is.
        changed = {"email": email, "first_name": first_name, "last_name": last_name}
        changed = {k: v for k, v in changed.items() if v and getattr(user, k) != v}
        if changed:
            for field, value in changed.items():
                setattr(user, field, value)
            user.save(update_fields=list(changed))
    identity.email = email
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["email", "last_sign_in_at"])
    return SSOSignIn(user=user, provider_mfa=provider_did_mfa(claims))


def _create_user(
    *, request: HttpRequest, issuer: str, subject: str, email: str, names: tuple[str, str]
) -> tuple[SSOIdentity, AbstractBaseUser]:
    user_model = get_user_model()
    same_email = list(
        user_model.objects.filter(email__iexact=email).values_list("username", flat=True)[:3]
    )
    # No password argument: the password is unusable, so this user signs in through SSO only.
    user = user_model.objects.create_user(
        _free_username(email), email=email, first_name=names[0], last_name=names[1]
    )
    try:
        with transaction.atomic():
            identity = SSOIdentity.objects.create(
                user=user, issuer=issuer, subject=subject, email=email
            )
    except IntegrityError as error:  # the same subject's first sign-in, twice at once
        raise SSORefused(
            "identity_race",
            "You were signing in twice at once. Go back to the sign-in page and start again.",
            status=409,
            username=email,
        ) from error
    detail = f"subject {subject} at {issuer}"
    if same_email:
        detail += f"; not linked to existing account(s) with this e-mail: {', '.join(same_email)}"
    audit.record(
        kind=SignInEvent.Kind.SSO_USER_CREATED,
        request=request,
        user=user,
        method=SignInEvent.Method.SSO,
        detail=detail,
    )
    return identity, user
