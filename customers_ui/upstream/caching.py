"""The shared cache, seen through one door: tokens and business metadata, as JSON.

Tokens must be shared by every web process (and every machine when REDIS_URL is set) so a burst
of lookups costs one token fetch, not one per worker. Reading the shared cache on every page would
cost a database query (or a Redis round trip), so each process also keeps a short-lived copy.
Values are stored as JSON, never pickles: a cache other software can write to must not be able
to run code here. Tokens are bearer secrets, so they are also encrypted before they leave, and
an encrypted value names the key it was written for: copied under another key, it is a miss.

Keys are namespaced by `credential_cache_identity`, the one function that says whose entry it is:
the deployment (derived from SECRET_KEY, so two deployments sharing a Redis never read each
other's entries), the credential's random public id (not its sequential database id, which a
restored or different database reuses) and its key version (a new key never reuses old tokens).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache

from customers_ui.core.crypto import SecretDecryptionError, decrypt_secret, encrypt_secret

if TYPE_CHECKING:
    from customers_ui.models import PartnerCredential

# A process trusts its own copy this long; values carry their own expiry, so staleness is bounded
# by the client's own checks, not by this number.
LOCAL_TTL_SECONDS = 30.0
LOCAL_MAX_ENTRIES = 10_000

_local: dict[str, tuple[float, Any]] = {}
_local_lock = threading.Lock()


def clear_local_copies() -> None:
    """Forget every in-process copy (tests use this to simulate a fresh process)."""
    with _local_lock:
        _local.clear()


@cache
def _deployment_namespace(secret_key: str) -> str:
    return hmac.new(secret_key.encode(), b"cache-namespace", hashlib.sha256).hexdigest()[:16]


def deployment_namespace() -> str:
    """A stable, non-secret tag of this deployment, derived from its SECRET_KEY."""
    return _deployment_namespace(settings.SECRET_KEY)


def credential_cache_identity(credential: PartnerCredential) -> str:
    """Whose cache entries these are: the one place the identity is composed."""
    return f"{deployment_namespace()}:{credential.public_id}:{credential.secret_version}"


class TwoLevelCache:
    """Django cache behind an in-process copy; stores JSON, optionally encrypted.

    Satisfies the Thredfi client's TokenCache protocol (get / set / delete).
    """

    def __init__(
        self,
        *,
        backend: BaseCache | None = None,
        prefix: str,
        encrypt: bool = True,
        local_ttl: float = LOCAL_TTL_SECONDS,
        clock: Any = time.monotonic,
    ) -> None:
        self.backend = backend if backend is not None else default_cache
        self.prefix = prefix
        self.encrypt = encrypt
        self.local_ttl = local_ttl
        self.clock = clock

    def _key(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    def get(self, key: str) -> Any | None:
        full_key = self._key(key)
        now = self.clock()
        with _local_lock:
            entry = _local.get(full_key)
        if entry is not None and entry[0] > now:
            return entry[1]
        stored = self.backend.get(full_key)
        if stored is None:
            return None
        try:
            value = self._load(full_key, stored)
        except (SecretDecryptionError, ValueError, TypeError, KeyError):
            # Written under a key we no longer hold, not by us, or for another cache key (a copy):
            # a miss, fetched again.
            return None
        self._remember(full_key, value, self.local_ttl)
        return value

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        full_key = self._key(key)
        self.backend.set(full_key, self._dump(full_key, value), timeout=timeout)
        self._remember(full_key, value, min(self.local_ttl, timeout or self.local_ttl))

    def delete(self, key: str) -> None:
        full_key = self._key(key)
        with _local_lock:
            _local.pop(full_key, None)
        self.backend.delete(full_key)

    def _remember(self, full_key: str, value: Any, ttl: float) -> None:
        with _local_lock:
            if len(_local) >= LOCAL_MAX_ENTRIES:
                _local.clear()
            _local[full_key] = (self.clock() + ttl, value)

    def _dump(self, full_key: str, value: Any) -> str:
        if not self.encrypt:
            return json.dumps(value, separators=(",", ":"))
        # Fernet has no associated data, so the key travels inside the ciphertext: an entry
        # copied under another key (another credential's) decrypts, but names the wrong key.
        envelope = {"key": full_key, "value": value}
        return encrypt_secret(json.dumps(envelope, separators=(",", ":")))

    def _load(self, full_key: str, stored: Any) -> Any:
        if not isinstance(stored, str):
            raise TypeError("not a value this cache wrote")
        if not self.encrypt:
            return json.loads(stored)
        envelope = json.loads(decrypt_secret(stored))
        if not isinstance(envelope, dict) or envelope.get("key") != full_key:
            raise ValueError("a value written for another cache key")
        return envelope["value"]


# One instance of each per process: stateless apart from the process-wide copies they manage.
token_cache = TwoLevelCache(prefix="thredfi-token")
business_cache = TwoLevelCache(prefix="business-meta", encrypt=False)
