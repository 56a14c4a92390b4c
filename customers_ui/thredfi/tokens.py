"""Partner and business-scoped access tokens: fetched once, cached, refreshed before expiry.

Tokens live in a cache the caller injects (Django's cache in the dashboard) so every worker
process shares them; a per-key lock makes a burst of first requests in one process cost a single
token fetch. Cache keys are derived from a hash, never from the API key or a token.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, Protocol, TypeAlias, runtime_checkable

from .errors import (
    AuthenticationFailed,
    BadResponse,
    BusinessNotFound,
    CredentialsRefused,
    CredentialsUnusable,
    NotFound,
    UpstreamTimeout,
)
from .transport import Deadline, Transport

logger = logging.getLogger("customers_ui.thredfi")

__all__ = [
    "ApiKey",
    "InMemoryTokenCache",
    "TokenCache",
    "TokenProvider",
    "cache_key_prefix",
    "is_sendable_api_key",
    "refresh_margin",
]

PARTNER_TOKEN_PATH = "/v1/platform/oauth2/token/"  # noqa: S105 - a path, not a secret
BUSINESS_TOKEN_PATH = "/v1/platform/{business_id}/oauth2/token/"  # noqa: S105
DEFAULT_EXPIRES_IN = 3600  # documented lifetime, assumed when the answer omits expires_in
MAX_MARGIN_SECONDS = 300.0  # Thredfi's own client refreshes about 5 minutes before expiry
MARGIN_FRACTION = 0.1  # ...and short-lived tokens refresh in their last 10 %


# The key itself, or a callable that yields it only when a partner token must be minted (so a
# caller can keep it encrypted until then).
ApiKey: TypeAlias = str | Callable[[], str]


@runtime_checkable
class TokenCache(Protocol):
    """What the client needs from a cache; Django's cache (and TwoLevelCache) satisfy it."""

    def get(self, key: str) -> Any | None: ...

    def set(self, key: str, value: Any, timeout: float) -> None: ...

    def delete(self, key: str) -> None: ...


class InMemoryTokenCache:
    """A thread-safe per-process cache for tests and non-Django use; expiry follows ``clock``."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._data: dict[str, tuple[float, Any]] = {}

    def get(self, key: str) -> Any | None:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            if entry[0] <= self._clock():
                del self._data[key]
                return None
            return entry[1]

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        with self._lock:
            expires = float("inf") if timeout is None else self._clock() + timeout
            self._data[key] = (expires, value)

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def live_keys(self) -> list[str]:
        """Every live key (tests assert what keys look like)."""
        now = self._clock()
        with self._lock:
            return [key for key, (expires, _) in self._data.items() if expires > now]

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_SENDABLE = re.compile(r"[\x21-\x7e]+")


def is_sendable_api_key(key: str) -> bool:
    """Whether a key can be an HTTP Basic password: printable ASCII, no spaces."""
    return bool(_SENDABLE.fullmatch(key))


def cache_key_prefix(
    *, base_url: str, partner_uuid: str, api_key: ApiKey, cache_namespace: str | None = None
) -> str:
    """Where one credential's tokens live in the cache: the one place that composes it.

    A new API key must never reuse the old key's tokens, yet the key itself must never appear in
    a cache key (caches get listed, dumped, monitored). A caller-provided namespace (the
    dashboard's: deployment, credential and key version) stands for the credential, so the key
    need not even be decrypted to find a cached token; without one, a hash of a hash of the key
    does. The base URL digest stays either way, so tokens of one Thredfi environment are never
    sent to another.
    """
    if cache_namespace:
        return f"thredfi:v1:{cache_namespace}:{_sha256(base_url)[:12]}"
    if not isinstance(api_key, str):
        raise ValueError("a cache_namespace is required when the API key comes from a callable")
    digest = _sha256("\n".join((base_url, partner_uuid, _sha256(api_key))))
    return f"thredfi:v1:{digest}"


def refresh_margin(expires_in: float) -> float:
    """How long before expiry a token stops being used: 5 minutes, or 10 % of short lifetimes."""
    return min(MAX_MARGIN_SECONDS, expires_in * MARGIN_FRACTION)


class _KeyLock:
    """A lock object that can be weakly referenced, so the registry does not grow forever."""

    __slots__ = ("__weakref__", "lock")

    def __init__(self) -> None:
        self.lock = threading.Lock()


_registry_guard = threading.Lock()
_key_locks: weakref.WeakValueDictionary[str, _KeyLock] = weakref.WeakValueDictionary()


def _lock_for(key: str) -> _KeyLock:
    with _registry_guard:
        holder = _key_locks.get(key)
        if holder is None:
            holder = _KeyLock()
            _key_locks[key] = holder
        return holder


class TokenProvider:
    """Hands out valid tokens for one credential, fetching only when the cache has none."""

    def __init__(
        self,
        *,
        transport: Transport,
        partner_uuid: str,
        api_key: ApiKey,
        cache: TokenCache,
        key_prefix: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._transport = transport
        self._partner_uuid = partner_uuid
        self._api_key_source = api_key
        self._cache = cache
        self._clock = clock
        self.partner_key = f"{key_prefix}:partner"
        self._business_prefix = f"{key_prefix}:business:"

    def business_key(self, business_id: str) -> str:
        return self._business_prefix + business_id

    # -- public -------------------------------------------------------------------------------

    def partner_token(self, deadline: Deadline) -> str:
        return self._get_or_fetch(self.partner_key, deadline, self._fetch_partner)

    def business_token(self, business_id: str, deadline: Deadline) -> str:
        return self._get_or_fetch(
            self.business_key(business_id),
            deadline,
            lambda d: self._fetch_business(business_id, d),
        )

    def invalidate(self, failed_token: str | None, *, business_id: str | None = None) -> None:
        """Drop the partner token and (when given) the business token after a 401.

        Only entries still holding a token we saw fail are deleted, so a token another worker
        has just refreshed is not thrown away (which would cause a needless refetch stampede);
        the partner token is dropped unconditionally as it may be the revoked root of both.
        """
        if business_id is not None:
            key = self.business_key(business_id)
            cached = self._read(key)
            if cached is None or failed_token is None or cached == failed_token:
                self._cache.delete(key)
            self._cache.delete(self.partner_key)
            return
        cached = self._read(self.partner_key)
        if cached is None or failed_token is None or cached == failed_token:
            self._cache.delete(self.partner_key)

    def forget_partner_token(self) -> None:
        """Forget the partner token, so the next call proves the key works *now*."""
        self._cache.delete(self.partner_key)

    # -- internals ------------------------------------------------------------------------------

    def _read(self, key: str) -> str | None:
        """A cached token still inside its freshness window, else None (caches may be lax)."""
        try:
            entry = self._cache.get(key)
        except Exception:  # a broken cache must degrade to fetching, not fail the page
            logger.warning("thredfi token cache read failed", exc_info=True)
            return None
        if not isinstance(entry, dict):
            return None
        token, fresh_until = entry.get("access_token"), entry.get("fresh_until")
        if not isinstance(token, str) or not isinstance(fresh_until, int | float):
            return None
        return token if self._clock() < fresh_until else None

    def _get_or_fetch(
        self, key: str, deadline: Deadline, fetch: Callable[[Deadline], tuple[str, float]]
    ) -> str:
        token = self._read(key)
        if token is not None:
            return token
        holder = _lock_for(key)
        if not holder.lock.acquire(timeout=max(deadline.remaining(), 0.0)):
            raise UpstreamTimeout("timed out waiting for another request to fetch a token")
        try:
            token = self._read(key)  # someone else may have fetched it while we waited
            if token is not None:
                return token
            token, expires_in = fetch(deadline)
            self._store(key, token, expires_in)
            return token
        finally:
            holder.lock.release()

    def _store(self, key: str, token: str, expires_in: float) -> None:
        if expires_in <= 0:
            return
        now = self._clock()
        fresh_for = expires_in - refresh_margin(expires_in)
        if fresh_for < 1:
            return
        value = {"access_token": token, "fresh_until": now + fresh_for}
        try:
            self._cache.set(key, value, timeout=max(1, int(fresh_for)))
        except Exception:  # failing to cache only costs a later refetch
            logger.warning("thredfi token cache write failed", exc_info=True)

    def _api_key(self) -> str:
        """The key, checked: one that cannot travel as HTTP Basic is refused without a trace of
        it (the encoder's own exception would carry part of the key into a traceback)."""
        source = self._api_key_source
        key = source if isinstance(source, str) else source()
        if not is_sendable_api_key(key):
            raise CredentialsUnusable("the stored API key cannot be sent to Thredfi")
        return key

    def _fetch_partner(self, deadline: Deadline) -> tuple[str, float]:
        api_key = self._api_key()
        try:
            response = self._transport.request(
                "POST",
                PARTNER_TOKEN_PATH,
                deadline=deadline,
                auth=(self._partner_uuid, api_key),
                data={"grant_type": "client_credentials"},
            )
        except AuthenticationFailed as error:
            raise CredentialsRefused(
                "partner credentials refused",
                status=error.status,
                error_code=error.error_code,
                request_id=error.request_id,
            ) from None
        return _read_token(response.data)

    def _fetch_business(self, business_id: str, deadline: Deadline) -> tuple[str, float]:
        partner = self.partner_token(deadline)
        try:
            response = self._transport.request(
                "POST",
                BUSINESS_TOKEN_PATH,
                {"business_id": business_id},
                deadline=deadline,
                bearer=partner,
            )
        except NotFound as error:  # no token for a business the partner does not have
            raise BusinessNotFound.from_not_found(error) from None
        return _read_token(response.data)


def _read_token(data: Any) -> tuple[str, float]:
    if not isinstance(data, dict):
        raise BadResponse("token response is not a JSON object")
    token = data.get("access_token")
    if not isinstance(token, str) or not token or len(token) > 16_384:
        raise BadResponse("token response without an access_token")
    expires_in = data.get("expires_in", DEFAULT_EXPIRES_IN)
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float):
        expires_in = DEFAULT_EXPIRES_IN
    return token, float(expires_in)
