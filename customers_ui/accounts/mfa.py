"""Second factors: an authenticator app (TOTP) with single-use recovery codes, via django-otp.

Use cases for the enrolment, verify and Security pages and the admin's reset. The devices are
django-otp devices of our own (models/second_factors.py: `AuthenticatorApp` with its seed
encrypted, `RecoveryCodeSet` with the codes hashed); django-otp throttles wrong codes with
exponential back-off per device, refuses a TOTP code it has already accepted, and marks a
session verified (`django_otp.login`). The rules of *when* a second factor is needed are here too
(`session_state_of`), so the middleware and the pages agree.

Enrolment (issue 20, M1): the secret waiting for confirmation belongs to the *session* that asked
for it, encrypted in that session, never to the user: whoever else opens the page (someone who
has the password) gets a key of their own, which can never become this user's factor. Showing a
key is a sign-in event; confirming one deletes every other unconfirmed device of the user and
renews the session key (as verifying does: L2). Removing the factor or renewing recovery codes
needs a current code (L3).
"""

from __future__ import annotations

import enum
import logging
import math
import secrets
import time
from base64 import b32encode
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import MAX_THROTTLE_DELAY_SECONDS, Device, VerifyNotAllowed
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from customers_ui.accounts import sign_in_events as audit
from customers_ui.accounts.backends import ENROLLED_ATTRIBUTE
from customers_ui.accounts.notices import notice_leave
from customers_ui.accounts.session_state import forget_second_factor, provider_mfa_done
from customers_ui.core.crypto import (
    SecretDecryptionError,
    decrypt_secret,
    encrypt_secret,
    new_salt,
    recovery_code_hash,
)
from customers_ui.models import (
    AuthenticatorApp,
    RecoveryCode,
    RecoveryCodeSet,
    SignInEvent,
    SignInNotice,
)
from customers_ui.models.second_factors import TOTP_DIGITS, TOTP_STEP_SECONDS, TOTP_TOLERANCE

logger = logging.getLogger(__name__)

TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
# 12 base32 characters: 60 random bits, shown as three groups of four.
RECOVERY_CODE_BYTES = 8
RECOVERY_CODE_LENGTH = 12
TOTP_KEY_BYTES = 20  # 160 bits, as RFC 4226 recommends
# The pending enrolment of *this* session: its secret (encrypted) and its wrong-code count.
PENDING_SESSION_KEY = "accounts.mfa_pending"


class SecondFactor(enum.Enum):
    """Where a signed-in session stands."""

    VERIFIED = "verified"  # a device verified in this session, or the SSO provider did MFA
    UNVERIFIED = "unverified"  # the user has a second factor and has not used it yet
    NOT_ENROLLED = "not_enrolled"  # no second factor (and none done by the provider)


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """The outcome of checking a code. `retry_after` > 0: refused unread, too many wrong codes.
    `unreadable`: the device's seed cannot be decrypted with CREDENTIALS_ENCRYPTION_KEYS (a key
    dropped too early); no code can pass until the key is back or the factor is reset."""

    accepted: bool
    device: Device | None = None
    retry_after: int = 0
    unreadable: bool = False

    @property
    def throttled(self) -> bool:
        return self.retry_after > 0


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What the enrolment page shows: this session's pending secret as a QR code and as text."""

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
    return AuthenticatorApp.objects.filter(user=user, confirmed=True).exists()


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


def _config_url(user: AbstractBaseUser, key: bytes) -> str:
    """The otpauth:// URL authenticator apps read from the QR code (Key Uri Format)."""
    label = str(user.get_username())
    params = urlencode(
        {
            "secret": b32encode(key).decode("ascii"),
            "algorithm": "SHA1",
            "digits": TOTP_DIGITS,
            "period": TOTP_STEP_SECONDS,
        }
    )
    issuer = str(settings.OTP_TOTP_ISSUER or "").replace(":", "")
    if issuer:
        label = f"{issuer}:{label}"
        params += f"&issuer={quote(issuer)}"
    return f"otpauth://totp/{quote(label)}?{params}"


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("user") != str(request.user.pk):
        return None
    return pending


def _pending_key(pending: dict[str, Any]) -> bytes | None:
    try:
        return bytes.fromhex(decrypt_secret(str(pending.get("key", ""))))
    except (SecretDecryptionError, ValueError):
        return None  # encrypted with a key since dropped: a new secret is made


def totp_enrolment(*, request: HttpRequest) -> Enrolment:
    """This session's pending authenticator secret, made on its first visit and reused after, so
    reloading the page shows the secret the user may already have scanned. Another session of
    the same user gets another secret. Making one is a sign-in event."""
    pending = _pending(request)
    key = _pending_key(pending) if pending else None
    if key is None:
        key = secrets.token_bytes(TOTP_KEY_BYTES)
        request.session[PENDING_SESSION_KEY] = {
            "user": str(request.user.pk),
            "key": encrypt_secret(key.hex()),
            "failures": 0,
            "failed_at": 0.0,
        }
        audit.record(
            kind=SignInEvent.Kind.MFA_SETUP_STARTED,
            request=request,
            user=request.user,
            method=SignInEvent.Method.TOTP,
        )
    import segno  # only enrolment draws a QR code: not loaded into every worker

    qr = segno.make(_config_url(request.user, key), error="m")
    return Enrolment(
        qr_data_uri=qr.svg_data_uri(scale=5, border=2, dark="#1f2328", light="#ffffff"),
        manual_key=_grouped(b32encode(key).decode("ascii")),
    )


def _pending_retry_after(pending: dict[str, Any]) -> int:
    """django-otp's back-off (1, 2, 4 ... s after 1, 2, 3 ... wrong codes), kept in the session:
    the secret is this session's own, so its wrong codes are too."""
    failures = int(pending.get("failures", 0))
    if failures <= 0:
        return 0
    delay = min(2 ** (failures - 1), MAX_THROTTLE_DELAY_SECONDS)
    wait = float(pending.get("failed_at", 0.0)) + delay - time.time()
    return max(1, math.ceil(wait)) if wait > 0 else 0


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
    try:
        accepted = device.verify_token(token)
    except SecretDecryptionError:
        logger.error(  # no traceback: it adds nothing here
            "authenticator %s of user %s cannot be decrypted with CREDENTIALS_ENCRYPTION_KEYS: "
            "restore the key it was encrypted with, or reset the user's second factor",
            device.pk,
            device.user_id,
        )
        return CodeCheck(accepted=False, device=device, unreadable=True)
    return CodeCheck(accepted=accepted, device=device)


def normalise_totp(code: str) -> str:
    return "".join(code.split())


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_recovery_code() -> str:
    return (
        b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES))
        .decode("ascii")
        .lower()[:RECOVERY_CODE_LENGTH]
    )


def _new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new single-use ones, stored
    hashed: the returned text is the only copy there will ever be."""
    RecoveryCodeSet.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()  # any left from before issue 20's migration
    code_set = RecoveryCodeSet.objects.create(
        user=user, name=RECOVERY_DEVICE_NAME, confirmed=True, salt=new_salt()
    )
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(code_set=code_set, code_hash=recovery_code_hash(code, salt=code_set.salt))
        for code in codes
    )
    return [_grouped(code) for code in codes]


def _delete_other_devices(user: AbstractBaseUser, keep: AuthenticatorApp) -> None:
    """Confirming one authenticator deletes every other one of the user, unconfirmed or not
    (and django-otp's own rows from before the migration): one app, the one just confirmed."""
    AuthenticatorApp.objects.filter(user=user).exclude(pk=keep.pk).delete()
    TOTPDevice.objects.filter(user=user).delete()


@transaction.atomic
def totp_enrolment_confirm(*, request: HttpRequest, code: str) -> tuple[CodeCheck, list[str]]:
    """Confirm this session's pending authenticator with a code it made. On success: the device
    counts, this session is verified under a new session key, and the returned recovery codes
    are the only time anyone sees them. A refusal leaves the pending secret as it was."""
    user = request.user
    pending = _pending(request)
    key = _pending_key(pending) if pending else None
    if pending is None or key is None:
        return CodeCheck(accepted=False), []
    wait = _pending_retry_after(pending)
    if wait:
        return CodeCheck(accepted=False, retry_after=wait), []
    # One enrolment at a time per user: a second session confirming at the same moment waits,
    # then finds the factor already there.
    get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()
    if AuthenticatorApp.objects.filter(user=user, confirmed=True).exists():
        request.session.pop(PENDING_SESSION_KEY, None)
        return CodeCheck(accepted=False), []
    totp = TOTP(key, TOTP_STEP_SECONDS, 0, TOTP_DIGITS, 0)
    totp.time = time.time()
    try:
        number = int(normalise_totp(code))
    except ValueError:
        number = -1
    if not totp.verify(number, TOTP_TOLERANCE):
        pending["failures"] = int(pending.get("failures", 0)) + 1
        pending["failed_at"] = time.time()
        request.session[PENDING_SESSION_KEY] = pending
        return CodeCheck(accepted=False), []
    device = AuthenticatorApp.objects.create(
        user=user,
        name=TOTP_DEVICE_NAME,
        confirmed=True,
        key_encrypted=AuthenticatorApp.seal(key),
        last_t=totp.t(),  # the code just typed cannot be used again to verify
        drift=totp.drift,
    )
    _delete_other_devices(user, keep=device)
    request.session.pop(PENDING_SESSION_KEY, None)
    _now_enrolled(user, True)
    codes = _new_recovery_codes(user)
    _verified(request, device)
    audit.record(
        kind=SignInEvent.Kind.MFA_ENROLLED,
        request=request,
        user=user,
        method=SignInEvent.Method.TOTP,
    )
    return CodeCheck(accepted=True, device=device), codes


def _verified(request: HttpRequest, device: Device) -> None:
    """Mark the session verified with `device`, under a new session key: an id planted or seen
    before the second factor is worth nothing after it (as Django's login() does for the
    password)."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _check_code(*, user: AbstractBaseUser, code: str, recovery: bool) -> CodeCheck:
    """Check a code against the user's confirmed devices of one kind, each under a row lock
    (one code cannot be accepted twice by two requests at once)."""
    model = RecoveryCodeSet if recovery else AuthenticatorApp
    token = normalise_recovery_code(code) if recovery else normalise_totp(code)
    check = CodeCheck(accepted=False)
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            check = _check(device, token)
            if check.accepted or check.throttled:
                break
    return check


def second_factor_verify(*, request: HttpRequest, code: str, recovery: bool = False) -> CodeCheck:
    """Check a code from the authenticator app (or a recovery code, used up when accepted) and
    mark the session verified. Every refusal is a failed sign-in in the audit trail."""
    user = request.user
    method = SignInEvent.Method.RECOVERY_CODE if recovery else SignInEvent.Method.TOTP
    check = _check_code(user=user, code=code, recovery=recovery)
    if check.accepted and check.device is not None:
        _verified(request, check.device)
        audit.record(kind=SignInEvent.Kind.MFA_VERIFIED, request=request, user=user, method=method)
    else:
        _record_refusal(request, method=method, check=check)
    return check


def second_factor_confirm(*, request: HttpRequest, code: str, recovery: bool = False) -> CodeCheck:
    """A current code for a change to the factor itself (removing it, renewing recovery codes):
    a verified session alone is not enough, since whoever finds it signed in could otherwise
    turn the factor off or take the codes. A refusal is a failed sign-in in the audit trail."""
    method = SignInEvent.Method.RECOVERY_CODE if recovery else SignInEvent.Method.TOTP
    check = _check_code(user=request.user, code=code, recovery=recovery)
    if not check.accepted:
        _record_refusal(request, method=method, check=check)
    return check


def _record_refusal(request: HttpRequest, *, method: str, check: CodeCheck) -> None:
    audit.record(
        kind=SignInEvent.Kind.SIGN_IN_FAILED,
        request=request,
        user=request.user,
        method=method,
        detail=(
            "too many wrong codes: throttled"
            if check.throttled
            else "authenticator cannot be decrypted"
            if check.unreadable
            else "wrong code"
        ),
    )


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return RecoveryCode.objects.filter(code_set__user=user).count()


def factor_summary(user: AbstractBaseUser) -> FactorSummary:
    device = AuthenticatorApp.objects.filter(user=user, confirmed=True).first()
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
    """New recovery codes for the signed-in user; the old ones stop working at once. The caller
    has had a current code confirmed (`second_factor_confirm`)."""
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
    deleted = AuthenticatorApp.objects.filter(user=user).delete()[0]
    deleted += RecoveryCodeSet.objects.filter(user=user).delete()[0]
    # Rows of django-otp's own models, from before issue 20's migration moved them.
    deleted += TOTPDevice.objects.filter(user=user).delete()[0]
    return deleted + StaticDevice.objects.filter(user=user).delete()[0]


@transaction.atomic
def second_factor_remove(*, request: HttpRequest) -> None:
    """The signed-in user removes their own second factor (e.g. to move to a new phone), after
    `second_factor_confirm` accepted a current code."""
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
