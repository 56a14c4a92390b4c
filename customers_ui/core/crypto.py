"""Encryption at rest for partner API keys and authenticator seeds; hashing of recovery codes.

MultiFernet over CREDENTIALS_ENCRYPTION_KEYS: the first key encrypts, every key decrypts, so keys
can be rotated without downtime (prepend a new key, run `rotate_credentials_key`, then drop the
old one).
"""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class SecretDecryptionError(Exception):
    """A stored secret cannot be read with the configured keys (wrong or missing key)."""


@lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("CREDENTIALS_ENCRYPTION_KEYS is empty")
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        # Never echo the key material itself.
        raise ImproperlyConfigured(
            "CREDENTIALS_ENCRYPTION_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes; make one with `manage.py generate_encryption_key`)"
        ) from exc


def _fernet() -> MultiFernet:
    return _multi_fernet(tuple(settings.CREDENTIALS_ENCRYPTION_KEYS))


def encrypt_secret(plaintext: str) -> str:
    """Encrypt with the first configured key."""
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt_secret(ciphertext: str) -> str:
    """Decrypt with any configured key; fail loudly rather than hand back garbage."""
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise SecretDecryptionError(
            "stored secret cannot be decrypted with CREDENTIALS_ENCRYPTION_KEYS"
        ) from exc


def reencrypt_secret(ciphertext: str) -> str:
    """Re-encrypt under the first key (used by key rotation)."""
    try:
        return _fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise SecretDecryptionError(
            "stored secret cannot be decrypted with CREDENTIALS_ENCRYPTION_KEYS"
        ) from exc


def check_keys() -> None:
    """Raise ImproperlyConfigured when the configured keys are unusable."""
    _fernet()


def generate_key() -> str:
    return Fernet.generate_key().decode()


# Recovery codes carry 60 random bits (40 for codes made before issue 20's migration); PBKDF2
# makes each guess against a stolen hash cost this many HMACs (2^40 guesses: months on a GPU),
# while checking a typed code (one hash per code set) stays around 10 ms.
RECOVERY_CODE_HASH_ITERATIONS = 50_000


def recovery_code_hash(code: str, *, salt: str) -> str:
    """The stored form of a recovery code: PBKDF2-HMAC-SHA256 with the code set's salt, hex."""
    digest = hashlib.pbkdf2_hmac(
        "sha256", code.encode("utf-8"), salt.encode("ascii"), RECOVERY_CODE_HASH_ITERATIONS
    )
    return digest.hex()


def new_salt() -> str:
    return secrets.token_hex(16)
