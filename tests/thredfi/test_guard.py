"""The guard's rules on their own (fake clock, in-memory store): when the breaker opens, who
probes, when the bulkhead says no. The same guard against a real hung upstream is tested in
tests/resilience/."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from customers_ui.thredfi import (
    CircuitOpen,
    GuardSettings,
    NotFound,
    Overloaded,
    ServiceUnavailable,
    UpstreamError,
    UpstreamGuard,
    UpstreamTimeout,
    UpstreamUnreachable,
    outage_sign,
)
from customers_ui.thredfi.transport import Deadline


class Store:
    """The shared-cache contract (get/set/add/delete) in memory, ignoring timeouts."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.lock = threading.Lock()

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        self.data[key] = value

    def add(self, key: str, value: Any, timeout: float | None = None) -> bool:
        with self.lock:
            if key in self.data:
                return False
            self.data[key] = value
            return True

    def delete(self, key: str) -> None:
        self.data.pop(key, None)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def make_guard(store: Store | None = None, clock: Clock | None = None, **settings: Any):
    options = {"state_refresh_seconds": 0.0, **settings}
    return UpstreamGuard(
        store=store or Store(),
        key="test",
        settings=GuardSettings(**options),
        clock=clock or Clock(),
    )


def run(guard: UpstreamGuard, target: str = "GET /a", error: Exception | None = None) -> None:
    """One call through the guard, ending with `error` (or an answer)."""
    expected: tuple[type[BaseException], ...] = (type(error),) if error is not None else ()
    try:
        with guard.call(deadline=Deadline(5), target=target):
            if error is not None:
                raise error
    except expected:
        pass


@pytest.mark.parametrize(
    ("error", "sign"),
    [
        (UpstreamTimeout(), True),
        (UpstreamUnreachable(), True),
        (ServiceUnavailable(status=503), True),
        (UpstreamError(status=502), True),
        (UpstreamError(status=504), True),
        (UpstreamError(status=500), False),  # about one record
        (NotFound(status=404), False),  # Thredfi answered
    ],
)
def test_what_counts_as_a_sign_of_an_outage(error, sign):
    assert outage_sign(error) is sign


def test_repeated_outage_signs_across_resources_open_the_breaker():
    guard = make_guard()
    for n in range(5):
        run(guard, f"GET /customers/{n}", UpstreamTimeout())
    assert guard.state().open
    started = time.perf_counter()
    with pytest.raises(CircuitOpen) as caught:
        run(guard, "GET /customers/9")
    assert time.perf_counter() - started < 0.05
    assert 0 < caught.value.retry_after <= 5


def test_one_customer_that_always_fails_never_opens_it():
    guard = make_guard()
    for _ in range(50):
        run(guard, "GET /customers/hanging", UpstreamTimeout())
    assert not guard.state().open


def test_a_few_faults_in_a_healthy_stream_never_open_it():
    guard = make_guard()
    for n in range(200):
        error = ServiceUnavailable(status=503) if n % 10 == 0 else None
        run(guard, f"GET /customers/{n}", error)
    assert not guard.state().open


def test_answers_that_are_not_outage_signs_never_open_it():
    guard = make_guard()
    for n in range(50):
        run(guard, f"GET /customers/{n}", NotFound(status=404))
        run(guard, f"GET /customers/{n}x", UpstreamError(status=500))
    assert not guard.state().open


def test_after_the_pause_one_probe_goes_through_and_a_good_answer_closes_it():
    store, clock = Store(), Clock()
    guard = make_guard(store, clock)
    for n in range(5):
        run(guard, f"GET /c/{n}", UpstreamTimeout())
    clock.now += 5.1

    probing = threading.Event()
    release = threading.Event()

    def probe() -> None:
        with guard.call(deadline=Deadline(5), target="GET /c/probe"):
            probing.set()
            release.wait(5)

    thread = threading.Thread(target=probe)
    thread.start()
    assert probing.wait(5)
    with pytest.raises(CircuitOpen):  # only one probe at a time
        run(guard, "GET /c/other")
    release.set()
    thread.join(5)

    assert not guard.state().open
    run(guard, "GET /c/after")  # closed: calls go through


def test_a_failed_probe_opens_it_again():
    store, clock = Store(), Clock()
    guard = make_guard(store, clock)
    for n in range(5):
        run(guard, f"GET /c/{n}", UpstreamTimeout())
    clock.now += 5.1
    run(guard, "GET /c/probe", UpstreamTimeout())
    assert guard.state().open
    with pytest.raises(CircuitOpen):
        run(guard, "GET /c/next")


def test_the_state_is_shared_through_the_store():
    store, clock = Store(), Clock()
    first, second = make_guard(store, clock), make_guard(store, clock)
    for n in range(5):
        run(first, f"GET /c/{n}", UpstreamTimeout())
    with pytest.raises(CircuitOpen):
        run(second, "GET /c/x")


@contextmanager
def slots_held(guard: UpstreamGuard, count: int) -> Iterator[None]:
    """`count` slow calls inside the guard until the block ends."""
    inside = threading.Barrier(count + 1)
    release = threading.Event()

    def hold() -> None:
        with guard.call(deadline=Deadline(10), target="GET /slow"):
            inside.wait(5)
            release.wait(10)

    holders = [threading.Thread(target=hold) for _ in range(count)]
    for thread in holders:
        thread.start()
    inside.wait(5)
    try:
        yield
    finally:
        release.set()
        for thread in holders:
            thread.join(10)


def in_background(guard: UpstreamGuard, deadline: float = 10) -> tuple[threading.Thread, list]:
    """A call queued behind the held slots; its exception (if any) lands in the list."""
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            with guard.call(deadline=Deadline(deadline), target="GET /queued"):
                pass
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.1)
    return thread, outcome


def test_the_bulkhead_refuses_beyond_its_queue_at_once():
    guard = make_guard(max_concurrent=2, max_waiting=1)
    with slots_held(guard, 2):
        waiter, _ = in_background(guard)
        started = time.perf_counter()
        with pytest.raises(Overloaded):
            run(guard, "GET /one-too-many")
        assert time.perf_counter() - started < 0.05
    waiter.join(5)


def test_queue_time_counts_against_the_deadline():
    guard = make_guard(max_concurrent=1, max_waiting=5)
    with slots_held(guard, 1):
        started = time.perf_counter()
        with pytest.raises(Overloaded), guard.call(deadline=Deadline(1.0), target="GET /queued"):
            pass  # pragma: no cover - never starts
        waited = time.perf_counter() - started
    assert 0.3 <= waited <= 1.0  # gave up while there was still time to say so


def test_waiters_fail_fast_when_the_breaker_opens():
    store, clock = Store(), Clock()
    guard = make_guard(store, clock, max_concurrent=1, max_waiting=5)
    with slots_held(guard, 1):
        waiter, outcome = in_background(guard)
        store.set("test:open-until", clock.now + 5)  # another process opened it
        waiter.join(2)
        assert not waiter.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], CircuitOpen)
