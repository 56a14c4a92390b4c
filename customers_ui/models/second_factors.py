"""Second factors at rest: an authenticator app whose seed is encrypted, recovery codes hashed.

django-otp's own `TOTPDevice` keeps the seed in clear and `StaticToken` the recovery codes, so a
database dump or backup would hand over everyone's second factor. These are django-otp devices
all the same (`Device` + `ThrottlingMixin`), so `django_otp.login`, `OTPMiddleware` and
`is_verified()` work unchanged; what differs is only what is stored:

- `AuthenticatorApp.key_encrypted`: the seed, Fernet-encrypted with CREDENTIALS_ENCRYPTION_KEYS
  (the same keys and the same `rotate_credentials_key` as partner API keys). The seed is
  decrypted only to check a code. Replay protection (`last_t`) and throttling are django-otp's.
- `RecoveryCode.code_hash`: PBKDF2-SHA256 of the code with the set's random salt. One salt per
  set (not per code), so checking a typed code costs one hash, not ten.
"""

from __future__ import annotations

import time
from binascii import unhexlify

from django.conf import settings
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from customers_ui.core.crypto import decrypt_secret, encrypt_secret, recovery_code_hash

TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6
# Codes from one step either side are accepted (a phone's clock a little off).
TOTP_TOLERANCE = 1


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):
    """A confirmed authenticator app (TOTP, RFC 6238). Rows exist only once confirmed: the
    secret waiting for confirmation lives in the session that asked for it (accounts/mfa.py)."""

    key_encrypted = models.TextField(help_text="The TOTP seed (hex), encrypted.")
    # The last time step a code was accepted for: that step and earlier ones are refused.
    last_t = models.BigIntegerField(default=-1)
    drift = models.SmallIntegerField(default=0)

    class Meta:
        verbose_name = "authenticator app"

    @classmethod
    def seal(cls, key: bytes) -> str:
        return encrypt_secret(key.hex())

    @property
    def bin_key(self) -> bytes:
        return unhexlify(decrypt_secret(self.key_encrypted).encode())

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token: str) -> bool:
        """django-otp's TOTPDevice.verify_token over the decrypted seed: one code, once."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            number = int(token)
        except (TypeError, ValueError):
            number = None
        verified = False
        if number is not None:
            totp = TOTP(self.bin_key, TOTP_STEP_SECONDS, 0, TOTP_DIGITS, self.drift)
            totp.time = time.time()
            verified = bool(totp.verify(number, TOTP_TOLERANCE, self.last_t + 1))
            if verified:
                self.last_t = totp.t()
                self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified


class RecoveryCodeSet(TimestampMixin, ThrottlingMixin, Device):
    """A user's single-use recovery codes, stored as hashes."""

    salt = models.CharField(max_length=64)

    class Meta:
        verbose_name = "recovery code set"

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token: str) -> bool:
        """A code of this set, used up when accepted."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        digest = recovery_code_hash(str(token), salt=self.salt)
        deleted, _ = self.codes.filter(code_hash=digest).delete()
        if deleted:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False


class RecoveryCode(models.Model):
    code_set = models.ForeignKey(RecoveryCodeSet, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["code_set", "code_hash"], name="recovery_code_lookup")]

    def __str__(self) -> str:
        return f"recovery code of set {self.code_set_id}"  # never the hash
