"""The shared cache (Redis) refusing or ignoring us is a miss, never a 500 and never "no limit"
(customers_ui/core/fail_soft_cache.py; docs/resilience.md).

A refused Redis is a free port with nothing on it; a silent one is a socket that accepts
connections and never answers (what a stopped or failing-over Redis looks like to a client).
The processes' view of it runs on an injected clock, so "skip it for a few seconds" needs no sleep.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from bench.backing import RedisServer
from bench.harness import free_port
from customers_ui.core import fail_soft_cache
from customers_ui.core.fail_soft_cache import FailSoftRedisCache
from dashboard.backing_services import redis_cache_config

RETRY_INTERVAL = 3.0
PASSWORD = "a-long-test-password-1"
DOWN = "shared cache not answering"
BACK = "shared cache answering again"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class SilentServer:
    """Accepts connections, reads whatever is sent, never answers; counts the connections."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self._open.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self._open:
            connection.close()


def _use_redis_at(settings, url: str) -> FakeClock:
    """Make `url` the shared cache, with a fresh process view of it on a fake clock."""
    settings.CACHES = {
        "default": redis_cache_config(
            url,
            ssl_cert_reqs="required",
            connect_timeout=0.2,
            socket_timeout=0.2,
            retry_interval=RETRY_INTERVAL,
        )
    }
    fail_soft_cache.forget_shared_cache_failures()
    clock = FakeClock()
    fail_soft_cache.shared_cache_availability(url, retry_interval=RETRY_INTERVAL).clock = clock
    return clock


@pytest.fixture
def refused_redis(settings) -> Iterator[FakeClock]:
    yield _use_redis_at(settings, f"redis://127.0.0.1:{free_port()}/0")
    fail_soft_cache.forget_shared_cache_failures()


@pytest.fixture
def silent_redis(settings) -> Iterator[tuple[SilentServer, FakeClock]]:
    server = SilentServer()
    clock = _use_redis_at(settings, f"redis://127.0.0.1:{server.port}/0")
    yield server, clock
    server.close()
    fail_soft_cache.forget_shared_cache_failures()


@pytest.mark.django_db
def test_a_refused_redis_is_a_miss_answered_by_the_database_cache(refused_redis) -> None:
    assert cache.get("probe") is None
    cache.set("probe", "kept", 30)
    assert cache.get("probe") == "kept"
    assert cache.degraded
    assert cache.fallback.get("probe") == "kept"  # shared by every process on the database


@pytest.mark.django_db
def test_a_silent_redis_costs_one_timeout_per_interval_and_is_logged_once(
    silent_redis, caplog
) -> None:
    server, clock = silent_redis
    caplog.set_level(logging.WARNING, logger="customers_ui.core.fail_soft_cache")
    for number in range(20):
        cache.set(f"key-{number}", number, 30)
        assert cache.get(f"key-{number}") == number
    assert server.connections == 1, "every call waited on Redis, not one per interval"
    clock.now += RETRY_INTERVAL + 0.1
    for number in range(5):
        assert cache.get(f"key-{number}") == number
    assert server.connections == 2  # one probe after the interval, the rest skipped
    assert cache.degraded
    assert [r.getMessage().startswith(DOWN) for r in caplog.records] == [True]


@pytest.mark.django_db
@pytest.mark.processes  # starts a private redis-server
def test_redis_is_used_again_once_it_answers_and_that_is_logged_once(settings, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="customers_ui.core.fail_soft_cache")
    with RedisServer() as redis:
        redis.kill()
        clock = _use_redis_at(settings, redis.url)
        cache.set("during", "fallback", 30)
        assert cache.degraded
        redis.start()  # same port, empty
        assert cache.get("during") == "fallback"  # still skipping Redis: no wait, no error
        clock.now += RETRY_INTERVAL + 0.1
        cache.set("after", "redis", 30)
        assert not cache.degraded
        assert cache.get("after") == "redis"
        assert cache.fallback.get("after") is None  # it went to Redis
    messages = [record.getMessage() for record in caplog.records]
    assert [m.split(" (")[0].split(";")[0] for m in messages] == [DOWN, BACK]
    fail_soft_cache.forget_shared_cache_failures()


@pytest.mark.django_db
@pytest.mark.processes  # starts a private redis-server
def test_a_probe_that_redis_answers_with_an_error_still_ends_the_outage(settings) -> None:
    """Redis saying "no such key" to the probe's INCR is Redis answering: the process must not be
    left probing for ever (every later call would go to the fallback until a restart)."""
    with RedisServer() as redis:
        redis.kill()
        clock = _use_redis_at(settings, redis.url)
        cache.set("during", "fallback", 30)
        redis.start()
        clock.now += RETRY_INTERVAL + 0.1
        with pytest.raises(ValueError):
            cache.incr("no-such-counter")  # the probe; the throttles catch this ValueError
        assert not cache.degraded
        cache.set("after", "redis", 30)
        assert cache.fallback.get("after") is None  # it went to Redis
    fail_soft_cache.forget_shared_cache_failures()


@pytest.fixture
def sam(db):
    return get_user_model().objects.create_user("sam", password=PASSWORD)


def attempt(ip: str, username: str, password: str):
    return Client(REMOTE_ADDR=ip).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def test_a_lockout_still_holds_while_redis_is_down(refused_redis, sam, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt("10.0.0.1", "sam", "wrong").status_code == 200
    assert attempt("10.0.0.1", "sam", "wrong").status_code == 429  # the limit-th failure locks
    assert attempt("10.0.0.1", "sam", "wrong").status_code == 429  # the 6th is refused
    assert attempt("10.0.0.1", "sam", PASSWORD).status_code == 429  # locked means locked
    assert attempt("10.0.0.2", "sam", PASSWORD).status_code == 302  # sign-in itself works


def test_the_address_throttle_still_counts_while_redis_is_down(
    refused_redis, sam, settings
) -> None:
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for number in range(3):
        assert attempt("10.0.0.9", f"user-{number}", "guess").status_code == 200
    assert attempt("10.0.0.9", "sam", PASSWORD).status_code == 429


def test_counts_hold_in_memory_when_the_database_cache_fails_too() -> None:
    """No database either (here: no fallback table at all): this process still counts."""
    backend = FailSoftRedisCache(
        f"redis://127.0.0.1:{free_port()}/0",
        {
            "KEY_PREFIX": "t",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    )
    backend.add("failures", 0, 60)
    for _ in range(6):
        backend.incr("failures")
    assert backend.get("failures") == 6
    assert backend.degraded
    fail_soft_cache.forget_shared_cache_failures()


def test_a_customer_page_is_200_while_redis_is_down(refused_redis, staff_client) -> None:
    from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID

    url = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
    first = staff_client.get(url)
    assert first.status_code == 200  # the session (database) survived; a token was minted
    assert staff_client.get(url).status_code == 200


def test_healthz_stays_200_and_says_the_cache_is_degraded(refused_redis, client, db) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "degraded",
        "thredfi": "ok",
    }


def test_an_answer_that_started_before_the_failure_does_not_declare_redis_back() -> None:
    """A call that was already on its way when Redis stopped may answer late; only a probe made
    after the failure says Redis is back."""
    clock = FakeClock()
    availability = fail_soft_cache.SharedCacheAvailability(retry_interval=3.0, clock=clock)
    early = availability.attempt()
    failing = availability.attempt()
    availability.failed(failing, TimeoutError())
    availability.succeeded(early)
    assert availability.down
    assert availability.attempt() is None  # skipping Redis for the interval
    clock.now += 3.1
    probe = availability.attempt()
    assert probe is not None
    assert availability.attempt() is None  # one probe at a time; the others use the fallback
    availability.succeeded(probe)
    assert not availability.down
