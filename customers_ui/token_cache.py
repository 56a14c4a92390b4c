"""The cache the Thredfi client keeps tokens in: shared across processes, fast within one.

Tokens must be shared by every web process (and every machine when REDIS_URL is set) so a burst
of lookups costs one token fetch, not one per worker. Reading the shared cache on every page would
cost a database query (or a Redis round trip), so each process also keeps a short-lived copy.
Tokens are bearer secrets, so they are encrypted before they leave the process.
"""

from __future__ import annotations

import pickle
import threading
import time
from typing import Any

from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache

from customers_ui.crypto import SecretDecryptionError, decrypt_secret, encrypt_secret

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


class TwoLevelCache:
    """Django cache behind an in-process copy; optionally encrypts what it stores.

    Satisfies the Thredfi client's TokenCache protocol (get / set / delete).
    """

    def __init__(
        self,
        *,
        backend: BaseCache | None = None,
        prefix: str = "thredfi",
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
            value = self._load(stored)
        except (SecretDecryptionError, pickle.UnpicklingError, ValueError, TypeError):
            # Written under a key we no longer hold: treat as a miss, it will be fetched again.
            return None
        self._remember(full_key, value, self.local_ttl)
        return value

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        full_key = self._key(key)
        self.backend.set(full_key, self._dump(value), timeout=timeout)
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

    def _dump(self, value: Any) -> Any:
        if not self.encrypt:
            return value
        # Only this process's own values are pickled, and Fernet authenticates them on the way back.
        return encrypt_secret(pickle.dumps(value).hex())

    def _load(self, stored: Any) -> Any:
        if not self.encrypt:
            return stored
        return pickle.loads(bytes.fromhex(decrypt_secret(stored)))  # noqa: S301 - authenticated
