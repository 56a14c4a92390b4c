"""Second factors: an authenticator app (TOTP) with single-use recovery codes, via django-otp.

Use cases for the enrolment, verify and Security pages and the admin's reset. django-otp keeps
the devices (a `TOTPDevice`, plus a `StaticDevice` holding the recovery codes), throttles wrong
codes with exponential back-off per device, refuses a TOTP code it has already accepted, and
marks a session verified (`django_otp.login`). The rules of *when* a second factor is needed are
here too (`session_state_of`), so the middleware and the pages agree.
"""

from __future__ import annotations

import enum
import math
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

import django_otp
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from customers_ui.accounts import sign_in_events as audit
from customers_ui.accounts.backends import ENROLLED_ATTRIBUTE
from customers_ui.accounts.notices import notice_leave
from customers_ui.accounts.session_state import forget_second_factor, provider_mfa_done
from customers_ui.models import SignInEvent, SignInNotice

TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


class SecondFactor(enum.Enum):
    """Where a signed-in session stands."""

    VERIFIED = "verified"  # a device verified in this session, or the SSO provider did MFA
    UNVERIFIED = "unverified"  # the user has a second factor and has not used it yet
    NOT_ENROLLED = "not_enrolled"  # no second factor (and none done by the provider)


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """The outcome of checking a code. `retry_after` > 0: refused unread, too many wrong codes."""

    accepted: bool
    device: Device | None = None
    retry_after: int = 0

    @property
    def throttled(self) -> bool:
        return self.retry_after > 0


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What the enrolment page shows: the secret as a QR code and as text to type."""

    device: TOTPDevice
    qr_data_uri: str
    manual_key: str


@dataclass(frozen=True, slots=True)
class FactorSummary:
    """What the Security page says about a user's second factor."""

    enrolled: bool
    added_at: Any = None
    last_used_at: Any = None
    recovery_codes_left: int = 0


def has_second_factor(user: AbstractBaseUser) -> bool:
    """A confirmed authenticator app (recovery codes come with it and go with it).

    Answered from the session user's own row when the backend loaded it that way (no query);
    the use cases below that add or remove a factor keep that answer current.
    """
    known = getattr(user, ENROLLED_ATTRIBUTE, None)
    if isinstance(known, bool):
        return known
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _now_enrolled(user: AbstractBaseUser, enrolled: bool) -> None:
    if hasattr(user, ENROLLED_ATTRIBUTE):
        setattr(user, ENROLLED_ATTRIBUTE, enrolled)


def session_state_of(request: HttpRequest) -> SecondFactor:
    """Whether this signed-in session has done, still owes, or has no second factor."""
    user = request.user
    if getattr(user, "is_verified", None) and user.is_verified():
        return SecondFactor.VERIFIED
    if provider_mfa_done(request):  # the provider did it: not asked twice, app or no app
        return SecondFactor.VERIFIED
    if has_second_factor(user):
        return SecondFactor.UNVERIFIED
    return SecondFactor.NOT_ENROLLED


def needs_second_factor(request: HttpRequest) -> SecondFactor | None:
    """What this session must do before it may see customers, credentials or the admin:
    UNVERIFIED (verify), NOT_ENROLLED (enrol, only when MFA_REQUIRED) or None (nothing)."""
    state = session_state_of(request)
    if state is SecondFactor.UNVERIFIED:
        return state
    if state is SecondFactor.NOT_ENROLLED and settings.MFA_REQUIRED:
        return state
    return None


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def totp_enrolment(*, user: AbstractBaseUser) -> Enrolment:
    """The user's pending (unconfirmed) authenticator, made on first visit and reused after, so
    reloading the page shows the same secret the user may already have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by(
        "-id"
    ).first() or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    import segno  # only enrolment draws a QR code: not loaded into every worker

    qr = segno.make(device.config_url, error="m")
    return Enrolment(
        device=device,
        qr_data_uri=qr.svg_data_uri(scale=5, border=2, dark="#1f2328", light="#ffffff"),
        manual_key=_grouped(b32encode(device.bin_key).decode("ascii")),
    )


def _retry_after(device: Device) -> int:
    allowed, info = device.verify_is_allowed()
    if allowed or not info or info.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return 0
    seconds = (info["locked_until"] - timezone.now()).total_seconds()
    return max(1, math.ceil(seconds))


def _check(device: Device, token: str) -> CodeCheck:
    """One device, one code: throttled devices refuse without looking at the code."""
    wait = _retry_after(device)
    if wait:
        return CodeCheck(accepted=False, device=device, retry_after=wait)
    if device.verify_token(token):
        return CodeCheck(accepted=True, device=device)
    return CodeCheck(accepted=False, device=device)


def normalise_totp(code: str) -> str:
    return "".join(code.split())


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new single-use ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [_grouped(code) for code in codes]


@transaction.atomic
def totp_enrolment_confirm(
    *, request: HttpRequest, device: TOTPDevice, code: str
) -> tuple[CodeCheck, list[str]]:
    """Confirm the pending authenticator with a code it made. On success: the device counts,
    this session is verified, and the returned recovery codes are the only time anyone sees them.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
    check = _check(device, normalise_totp(code))
    if not check.accepted:
        return check, []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    _now_enrolled(request.user, True)
    codes = _new_recovery_codes(request.user)
    django_otp.login(request, device)
    audit.record(
        kind=SignInEvent.Kind.MFA_ENROLLED,
        request=request,
        user=request.user,
        method=SignInEvent.Method.TOTP,
    )
    return check, codes


def second_factor_verify(*, request: HttpRequest, code: str, recovery: bool = False) -> CodeCheck:
    """Check a code from the authenticator app (or a recovery code, used up when accepted) and
    mark the session verified. Every refusal is a failed sign-in in the audit trail."""
    user = request.user
    method = SignInEvent.Method.RECOVERY_CODE if recovery else SignInEvent.Method.TOTP
    model = StaticDevice if recovery else TOTPDevice
    token = normalise_recovery_code(code) if recovery else normalise_totp(code)
    check = CodeCheck(accepted=False)
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            check = _check(device, token)
            if check.accepted or check.throttled:
                break
    if check.accepted and check.device is not None:
        django_otp.login(request, check.device)
        audit.record(kind=SignInEvent.Kind.MFA_VERIFIED, request=request, user=user, method=method)
    else:
        audit.record(
            kind=SignInEvent.Kind.SIGN_IN_FAILED,
            request=request,
            user=user,
            method=method,
            detail="too many wrong codes: throttled" if check.throttled else "wrong code",
        )
    return check


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def factor_summary(user: AbstractBaseUser) -> FactorSummary:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return FactorSummary(enrolled=False)
    return FactorSummary(
        enrolled=True,
        added_at=device.created_at,
        last_used_at=device.last_used_at,
        recovery_codes_left=recovery_codes_left(user),
    )


@transaction.atomic
def recovery_codes_renew(*, request: HttpRequest) -> list[str]:
    """New recovery codes for the signed-in user; the old ones stop working at once."""
    codes = _new_recovery_codes(request.user)
    audit.record(
        kind=SignInEvent.Kind.RECOVERY_CODES_RENEWED,
        request=request,
        user=request.user,
        method=SignInEvent.Method.TOTP,
    )
    return codes


def _delete_devices(user: AbstractBaseUser) -> int:
    _now_enrolled(user, False)
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    return deleted + StaticDevice.objects.filter(user=user).delete()[0]


@transaction.atomic
def second_factor_remove(*, request: HttpRequest) -> None:
    """The signed-in user removes their own second factor (e.g. to move to a new phone)."""
    _delete_devices(request.user)
    audit.record(kind=SignInEvent.Kind.MFA_REMOVED, request=request, user=request.user)


@transaction.atomic
def second_factor_reset(
    *, user: AbstractBaseUser, by: AbstractBaseUser, request: HttpRequest | None = None
) -> bool:
    """An administrator removes someone's second factor (lost phone, no recovery codes).

    Records who did it and leaves a notice the user sees at their next sign-in. Returns False,
    changing nothing, when the user had no second factor.
    """
    if not _delete_devices(user):
        return False
    audit.record(
        kind=SignInEvent.Kind.MFA_RESET,
        request=request,
        user=user,
        method=SignInEvent.Method.ADMIN,
        actor=by.get_username(),
    )
    notice_leave(user=user, kind=SignInNotice.Kind.MFA_RESET, created_by=by.get_username())
    return True


@receiver(user_logged_in, dispatch_uid="customers_ui.accounts.mfa.forget_on_sign_in")
def _forget_on_sign_in(sender: Any, request: HttpRequest | None, **_: Any) -> None:
    if request is not None and hasattr(request, "session"):
        forget_second_factor(request)
