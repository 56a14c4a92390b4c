"""Encryption at rest for partner API keys.

MultiFernet over CREDENTIALS_ENCRYPTION_KEYS: the first key encrypts, every key decrypts, so keys
can be rotated without downtime (prepend a new key, run `rotate_credentials_key`, then drop the
old one).
"""

from __future__ import annotations

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
