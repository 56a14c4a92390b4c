"""The shared cache (Redis) as an accelerator, never a single point of failure.

Everything the dashboard keeps in the shared cache can be rebuilt or counted elsewhere: tokens are
minted again, business metadata is read again, the breaker's state starts closed, the directory
sync lock and the sign-in lockout counts can live anywhere every process can see. So a slow or
dead Redis must cost a page a fraction of a second once, not every page its full outage:

- every Redis operation has short connect and socket timeouts (REDIS_CONNECT_TIMEOUT,
  REDIS_SOCKET_TIMEOUT) and is never retried after a timeout; a stale pooled connection after a
  Redis restart is retried once on a fresh connection;
- an error or timeout is a miss: the operation is answered by the fallback instead, and the
  process skips Redis for REDIS_RETRY_INTERVAL seconds (one timeout per process per interval,
  not one per call). After the interval exactly one caller tries Redis again while the others
  keep using the fallback; the down and back transitions are logged once each;
- the fallback is the database cache table (`dashboard_cache`, migrations 0002 and 0007), which
  every process and machine on the same database shares: lockout and throttle counts keep
  holding across processes, and the directory lock stays one lock. Should the database fail
  too, this process's memory answers: a count that still holds, never "no limit", never a 500.

Counts kept in the fallback during an outage are not copied back to Redis when it returns: a
lockout earned during the outage ends early when Redis comes back (it has its own counts from
before). Logout is unaffected: sessions live in the database (settings.SESSION_ENGINE).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError

logger = logging.getLogger(__name__)

# OPTIONS of this backend (the rest go to redis-py's connection pool, as with RedisCache).
RETRY_INTERVAL_OPTION = "RETRY_INTERVAL"
FALLBACK_TABLE_OPTION = "FALLBACK_TABLE"
DEFAULT_RETRY_INTERVAL = 3.0
MEMORY_MAX_ENTRIES = 10_000

try:  # redis is a runtime dependency; the guard keeps this module importable without it.
    from redis.backoff import NoBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import RedisError
    from redis.retry import Retry

    SHARED_CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)
except ImportError:  # pragma: no cover
    SHARED_CACHE_ERRORS = (OSError,)
    Retry = None  # type: ignore[assignment,misc]


class SharedCacheAvailability:
    """This process's view of the shared cache: up, or down until a moment, then probed once.

    Each attempt gets a ticket (the failure generation it started in), so an operation that began
    before Redis failed and answers late cannot declare it back, and one that fails late cannot
    extend an outage a successful probe already ended.
    """

    def __init__(
        self, *, retry_interval: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.retry_interval = retry_interval
        self.clock = clock
        self._lock = threading.Lock()
        self._down_until: float | None = None
        self._probing = False
        self._generation = 0

    @property
    def down(self) -> bool:
        return self._down_until is not None

    def attempt(self) -> int | None:
        """A ticket to use the shared cache now, or None: use the fallback."""
        with self._lock:
            if self._down_until is None:
                return self._generation
            if self._probing or self.clock() < self._down_until:
                return None
            self._probing = True
            return self._generation

    def succeeded(self, ticket: int) -> None:
        if self._down_until is None:
            return
        with self._lock:
            if self._down_until is None or ticket != self._generation:
                return
            self._down_until = None
            self._probing = False
        logger.warning("shared cache answering again; using it again")

    def failed(self, ticket: int, error: BaseException) -> None:
        with self._lock:
            if ticket != self._generation:
                return  # started before an earlier failure, or before the probe that ended it
            was_down = self._down_until is not None
            self._generation += 1
            self._down_until = self.clock() + self.retry_interval
            self._probing = False
        if not was_down:
            # The error's class only: its text may name the server, never anything secret, but
            # a URL with a password must not reach a log line by accident.
            logger.warning(
                "shared cache not answering (%s); using the fallback, trying again every %.0f s",
                type(error).__name__,
                self.retry_interval,
                extra={"cache_error": type(error).__name__},
            )


# Django makes one cache object per thread; what they know about Redis is the process's.
_availability: dict[str, SharedCacheAvailability] = {}
_availability_lock = threading.Lock()


def forget_shared_cache_failures() -> None:
    """Start again as a fresh process would: Redis presumed up (tests use this)."""
    with _availability_lock:
        _availability.clear()


def shared_cache_availability(server: str, *, retry_interval: float) -> SharedCacheAvailability:
    """This process's one view of the Redis at `server`, whichever thread asks."""
    with _availability_lock:
        availability = _availability.get(server)
        if availability is None:
            availability = _availability[server] = SharedCacheAvailability(
                retry_interval=retry_interval
            )
        return availability


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache whose failures are misses answered by a fallback (module docstring)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        retry_interval = float(options.pop(RETRY_INTERVAL_OPTION, DEFAULT_RETRY_INTERVAL))
        fallback_table = options.pop(FALLBACK_TABLE_OPTION, None)
        if Retry is not None:
            # A pooled connection Redis closed (restart, failover) fails once and is retried on a
            # new one; a timeout is not retried: one wait per call, at most.
            options.setdefault(
                "retry", Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,))
            )
        super().__init__(server, {**params, "OPTIONS": options})
        shared = {
            name: params[name]
            for name in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
            if name in params
        }
        self.fallback: BaseCache | None = (
            DatabaseCache(fallback_table, shared) if fallback_table else None
        )
        # Named by the server, so every thread of the process shares one memory.
        self.memory = LocMemCache(
            f"fail-soft:{server}", {**shared, "OPTIONS": {"MAX_ENTRIES": MEMORY_MAX_ENTRIES}}
        )
        self.availability = shared_cache_availability(str(server), retry_interval=retry_interval)

    @property
    def degraded(self) -> bool:
        """True while this process serves from the fallback (for /healthz)."""
        return self.availability.down

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        ticket = self.availability.attempt()
        if ticket is not None:
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except SHARED_CACHE_ERRORS as error:
                self.availability.failed(ticket, error)
            except Exception:
                # Redis answered, with an error of the operation's own (INCR of a missing key is a
                # ValueError): it is up, and a probe must not stay in progress for ever.
                self.availability.succeeded(ticket)
                raise
            else:
                self.availability.succeeded(ticket)
                return result
        return self._fallback_call(name, *args, **kwargs)

    def _fallback_call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self.fallback is not None:
            try:
                return getattr(self.fallback, name)(*args, **kwargs)
            except DatabaseError as error:
                logger.warning(
                    "database cache failed too (%s); this process's memory answers",
                    type(error).__name__,
                )
        return getattr(self.memory, name)(*args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return self._call("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> None:
        return self._call("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return self._call("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> bool:
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> int:
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> list[str]:
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        return self._call("delete_many", *args, **kwargs)

    def clear(self) -> None:
        return self._call("clear")
