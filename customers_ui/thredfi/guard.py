"""Keeps a Thredfi outage from becoming a dashboard outage: a bulkhead and a circuit breaker.

Support staff open the dashboard exactly when something is wrong, sometimes while Thredfi is slow
or down. Two things stop a hung upstream from taking every web thread with it:

- **Bulkhead** (per process): at most ``max_concurrent`` upstream calls at once and at most
  ``max_waiting`` queued behind them; the rest fail at once with `Overloaded`. Queue time counts
  against the operation's deadline, so a call that cannot start in time fails with `Overloaded`
  rather than waiting past it. The web threads this leaves free serve login, credentials, admin
  and health checks whatever Thredfi does.
- **Circuit breaker** (state shared by every process through the injected store, e.g. Redis):
  after repeated *signs of an outage* (no answer, a timeout, a TLS failure, or a gateway status
  502/503/504) across different resources, making up most of the recent calls, calls fail fast
  with `CircuitOpen` for ``open_seconds``; then one probe at a time is let through, and a good
  answer closes it. A 4xx, or a 500 about one record, is Thredfi answering: never an outage sign.
  One customer that always times out cannot open it (the signs must span resources), nor can a
  few faults in a healthy stream (they must be most of the calls).

Standard library only, like the rest of the client: the store and the clock are passed in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from .errors import (
    CircuitOpen,
    Overloaded,
    ThredfiError,
    UpstreamError,
    UpstreamTimeout,
    UpstreamUnreachable,
)
from .transport import GATEWAY_STATUSES, Deadline

__all__ = ["BreakerState", "GuardSettings", "SharedStore", "UpstreamGuard", "outage_sign"]

logger = logging.getLogger("customers_ui.thredfi")

# A queued call must still have this long left when it gets its turn, or it is not worth starting.
MIN_TIME_TO_START = 0.5
WAIT_POLL_SECONDS = 0.25


class SharedStore(Protocol):
    """What the breaker needs from a shared cache (Django's cache fits)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any, timeout: float | None = None) -> None: ...

    def add(self, key: str, value: Any, timeout: float | None = None) -> bool: ...

    def delete(self, key: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class GuardSettings:
    max_concurrent: int = 16  # upstream calls in flight per process
    max_waiting: int = 8  # calls queued behind them per process
    failure_threshold: int = 5  # outage signs in the window before the breaker opens...
    failure_ratio: float = 0.5  # ...that are at least this share of the window's calls...
    min_distinct_targets: int = 2  # ...about at least this many different resources
    window_seconds: float = 30.0
    open_seconds: float = 5.0  # fail fast this long before letting a probe through
    probe_timeout: float = 15.0  # a probe that never reports back frees its slot after this
    state_refresh_seconds: float = 1.0  # how stale this process's view of the shared state is


@dataclass(frozen=True, slots=True)
class BreakerState:
    open: bool
    retry_at: float | None = None  # epoch seconds when a probe will be let through


def outage_sign(error: BaseException) -> bool:
    """Whether a failure says "Thredfi is not answering", rather than something about a request."""
    if isinstance(error, UpstreamTimeout | UpstreamUnreachable):
        return True
    return isinstance(error, UpstreamError) and error.status in GATEWAY_STATUSES


class _Bulkhead:
    def __init__(self, max_concurrent: int, max_waiting: int) -> None:
        self.max_concurrent = max_concurrent
        self.max_waiting = max_waiting
        self.active = 0
        self.waiting = 0
        self._cond = threading.Condition()

    def enter(self, deadline: Deadline, still_worth_it: Callable[[], None]) -> None:
        with self._cond:
            if self.active < self.max_concurrent:
                self.active += 1
                return
            if self.waiting >= self.max_waiting:
                raise Overloaded("too many Thredfi calls are already waiting in this process")
            self.waiting += 1
            try:
                while self.active >= self.max_concurrent:
                    remaining = deadline.remaining() - MIN_TIME_TO_START
                    if remaining <= 0:
                        raise Overloaded("no Thredfi call could start in time")
                    self._cond.wait(min(remaining, WAIT_POLL_SECONDS))
                    still_worth_it()  # the breaker may have opened meanwhile
                self.active += 1
            finally:
                self.waiting -= 1

    def leave(self) -> None:
        with self._cond:
            self.active -= 1
            self._cond.notify()


class UpstreamGuard:
    """One per process and upstream; every client call to that upstream goes through `call`."""

    def __init__(
        self,
        *,
        store: SharedStore,
        key: str,
        settings: GuardSettings = GuardSettings(),
        before_wait: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._store = store
        self._open_key = f"{key}:open-until"
        self._probe_key = f"{key}:probe"
        # Called before every wait on Thredfi (in the queue, then the call itself), e.g. to hand a
        # pooled database connection back: a waiting request must hold nothing others need.
        self._before_wait = before_wait or (lambda: None)
        self._clock = clock
        self._bulkhead = _Bulkhead(settings.max_concurrent, settings.max_waiting)
        self._lock = threading.Lock()
        self._window: deque[tuple[float, bool, str]] = deque()
        self._open_until = 0.0
        self._open_until_read_at = float("-inf")

    # -- public ---------------------------------------------------------------------------------

    @contextmanager
    def call(self, *, deadline: Deadline, target: str) -> Iterator[None]:
        """Run one upstream call under the breaker and the bulkhead, and learn from its ending."""
        probe = self._admit()
        try:
            self._before_wait()
            self._bulkhead.enter(deadline, self._still_worth_waiting)
        except BaseException:
            if probe:
                self._store.delete(self._probe_key)
            raise
        try:
            yield
        except ThredfiError as error:
            self._record(outage_sign(error), target, probe)
            raise
        except BaseException:
            if probe:
                self._store.delete(self._probe_key)
            raise
        else:
            self._record(False, target, probe)
        finally:
            self._bulkhead.leave()

    def state(self) -> BreakerState:
        """The breaker as every process sees it (within ``state_refresh_seconds``)."""
        open_until = self._shared_open_until()
        return BreakerState(open=open_until > 0, retry_at=open_until or None)

    # -- breaker --------------------------------------------------------------------------------

    def _shared_open_until(self) -> float:
        now = time.monotonic()
        if now - self._open_until_read_at >= self.settings.state_refresh_seconds:
            try:
                value = self._store.get(self._open_key)
            except Exception:  # a broken cache must not break lookups: assume closed
                logger.warning("circuit breaker state could not be read", exc_info=True)
                value = None
            self._open_until = float(value) if isinstance(value, int | float) else 0.0
            self._open_until_read_at = now
        return self._open_until

    def _still_worth_waiting(self) -> None:
        self._fail_if_open()
        self._before_wait()

    def _fail_if_open(self) -> None:
        open_until = self._shared_open_until()
        if open_until and self._clock() < open_until:
            raise self._open_error(open_until)

    def _open_error(self, retry_at: float) -> CircuitOpen:
        return CircuitOpen(
            "Thredfi is not answering; not asking again until the pause is over",
            retry_after=max(retry_at - self._clock(), 0.0),
        )

    def _admit(self) -> bool:
        """Raise while open; once the pause is over, let exactly one probe through (True)."""
        open_until = self._shared_open_until()
        if not open_until:
            return False
        now = self._clock()
        if now < open_until:
            raise self._open_error(open_until)
        if self._store.add(self._probe_key, now, timeout=self.settings.probe_timeout):
            return True
        # Another request is probing: report the next chance a little later.
        raise self._open_error(now + min(self.settings.open_seconds, 2.0))

    def _record(self, outage: bool, target: str, probe: bool) -> None:
        now = self._clock()
        if probe:
            if outage:
                self._open(now, "the probe got no answer")
            else:
                self._close()
            self._store.delete(self._probe_key)
            return
        with self._lock:
            self._window.append((now, outage, target))
            horizon = now - self.settings.window_seconds
            while self._window and self._window[0][0] < horizon:
                self._window.popleft()
            if not outage:
                return
            signs = [t for _, bad, t in self._window if bad]
            tripped = (
                len(signs) >= self.settings.failure_threshold
                and len(signs) >= self.settings.failure_ratio * len(self._window)
                and len(set(signs)) >= self.settings.min_distinct_targets
            )
            if tripped:
                self._window.clear()
        if tripped:
            self._open(now, f"{len(signs)} outage signs in {self.settings.window_seconds:.0f} s")

    def _open(self, now: float, reason: str) -> None:
        open_until = now + self.settings.open_seconds
        self._store.set(self._open_key, open_until, timeout=self.settings.window_seconds * 10)
        self._open_until, self._open_until_read_at = open_until, time.monotonic()
        logger.warning("circuit breaker open for %.0f s: %s", self.settings.open_seconds, reason)

    def _close(self) -> None:
        self._store.delete(self._open_key)
        self._open_until, self._open_until_read_at = 0.0, time.monotonic()
        with self._lock:
            self._window.clear()
        logger.warning("circuit breaker closed: Thredfi answered again")
