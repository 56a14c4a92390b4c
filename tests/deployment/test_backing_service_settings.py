"""DATABASE_URL and REDIS_URL become bounded, TLS-aware Django settings (docs/deploying.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from dashboard.backing_services import database_config, redis_cache_config
from tests.deployment.settings_probe import settings_with

# Runs settings probes (fresh interpreters): left out of `make test-fast`. Timing-blind, so in a
# group of their own rather than the serial `processes` one (tests/conftest.py).
pytestmark = [pytest.mark.processes, pytest.mark.xdist_group("probes")]

POSTGRES_URL = "postgres://app:pw@db.example.com:5432/lookup"


def test_postgresql_gets_a_bounded_pool_and_no_persistent_connections() -> None:
    databases = settings_with(
        {"DATABASE_URL": POSTGRES_URL, "DATABASE_POOL_MAX_SIZE": "6", "DATABASE_POOL_TIMEOUT": "7"},
        "DATABASES",
    )["DATABASES"]
    default = databases["default"]
    assert default["ENGINE"] == "dashboard.postgresql"  # Django's, with a fail-fast pool
    assert default["OPTIONS"]["pool"] == {
        "min_size": 1,
        "max_size": 6,
        "timeout": 7.0,
        "reconnect_timeout": 3.0,
    }
    assert default["OPTIONS"]["connect_timeout"] == 3
    assert default["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    assert default["CONN_HEALTH_CHECKS"] is True


def test_postgresql_pool_defaults_to_four_connections_per_process() -> None:
    default = settings_with({"DATABASE_URL": POSTGRES_URL}, "DATABASES")["DATABASES"]["default"]
    assert default["OPTIONS"]["pool"]["max_size"] == 4
    assert default["OPTIONS"]["pool"]["timeout"] == 10.0


def test_database_connect_timeout_is_configurable() -> None:
    default = settings_with(
        {"DATABASE_URL": POSTGRES_URL, "DATABASE_CONNECT_TIMEOUT": "5"}, "DATABASES"
    )["DATABASES"]["default"]
    assert default["OPTIONS"]["connect_timeout"] == 5
    assert default["OPTIONS"]["pool"]["reconnect_timeout"] == 5.0


def test_sqlite_keeps_persistent_connections_and_its_pragmas(tmp_path) -> None:
    default = settings_with(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "CONN_MAX_AGE": "120"},
        "DATABASES",
    )["DATABASES"]["default"]
    assert "pool" not in default["OPTIONS"]
    assert default["CONN_MAX_AGE"] == 120
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in default["OPTIONS"]["init_command"]


def test_a_pool_of_zero_connections_is_refused() -> None:
    config = {"ENGINE": "django.db.backends.postgresql", "NAME": "lookup"}
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL_MAX_SIZE"):
        database_config(config, conn_max_age=600, pool_max_size=0, pool_timeout=10)


FAIL_SOFT = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "RETRY_INTERVAL": 3.0}


@pytest.mark.parametrize(
    ("env", "options"),
    [
        ({"REDIS_URL": "redis://cache.example.com:6379/0"}, {}),
        ({"REDIS_URL": "rediss://:pw@cache.example.com:6380/0"}, {"ssl_cert_reqs": "required"}),
        (
            {"REDIS_URL": "rediss://:pw@cache.example.com:6380/0", "REDIS_SSL_CERT_REQS": "none"},
            {"ssl_cert_reqs": "none"},
        ),
    ],
    ids=["redis", "rediss-verified-by-default", "rediss-self-signed"],
)
def test_redis_url_becomes_the_shared_cache(env: dict[str, str], options) -> None:
    cache = settings_with(env, "CACHES")["CACHES"]["default"]
    assert cache["BACKEND"] == "customers_ui.core.fail_soft_cache.FailSoftRedisCache"
    assert cache["LOCATION"] == env["REDIS_URL"]
    assert cache["OPTIONS"] == {**FAIL_SOFT, "FALLBACK_TABLE": "dashboard_cache", **options}


def test_redis_timeouts_and_retry_interval_are_configurable() -> None:
    env = {
        "REDIS_URL": "redis://cache.example.com:6379/0",
        "REDIS_CONNECT_TIMEOUT": "0.1",
        "REDIS_SOCKET_TIMEOUT": "0.3",
        "REDIS_RETRY_INTERVAL": "5",
    }
    options = settings_with(env, "CACHES")["CACHES"]["default"]["OPTIONS"]
    assert options["socket_connect_timeout"] == 0.1
    assert options["socket_timeout"] == 0.3
    assert options["RETRY_INTERVAL"] == 5.0


def test_sessions_live_in_the_database_only() -> None:
    """A Redis outage must not sign anyone out, and a session ended during one stays ended."""
    engine = settings_with({"REDIS_URL": "redis://cache.example.com:6379/0"}, "SESSION_ENGINE")
    assert engine["SESSION_ENGINE"] == "customers_ui.accounts.session_store"
    # Django's database sessions, only read differently (issue #23).
    from django.contrib.sessions.backends import db

    from customers_ui.accounts import session_store

    assert issubclass(session_store.SessionStore, db.SessionStore)
    own = set(vars(session_store.SessionStore)) - {
        "__module__",
        "__doc__",
        "__firstlineno__",
        "__static_attributes__",
    }
    assert own == {"load"}  # writes, deletion, exists and clear_expired are Django's


def test_without_redis_the_database_cache_is_used() -> None:
    cache = settings_with({}, "CACHES")["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_an_unknown_certificate_policy_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="REDIS_SSL_CERT_REQS"):
        redis_cache_config("rediss://cache.example.com:6380/0", ssl_cert_reqs="maybe")
