"""Django settings for the backing services a PaaS attaches by URL: the database and Redis.

Plain functions of already-parsed environment values, so settings.py stays declarative and the
choices below (pool bounds, TLS verification) can be tested without re-importing settings.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

POSTGRESQL_ENGINES = frozenset(
    {
        "django.db.backends.postgresql",
        "django.contrib.gis.db.backends.postgis",
        "dashboard.postgresql",
    }
)
SQLITE_ENGINE = "django.db.backends.sqlite3"
# What redis-py's SSLConnection accepts as ssl_cert_reqs ("optional" verifies only a certificate
# the server chooses to present, which protects nothing, so it is not offered).
REDIS_SSL_CERT_REQS_CHOICES = ("required", "none")
# The database cache table (migration 0002): the only cache without Redis, and the fallback of
# the fail-soft Redis cache while Redis does not answer.
DATABASE_CACHE_TABLE = "dashboard_cache"
FAIL_SOFT_REDIS_CACHE = "customers_ui.core.fail_soft_cache.FailSoftRedisCache"
# PostgreSQL through a pool that tells "busy" from "unreachable" (dashboard/postgresql/).
POSTGRESQL_ENGINE = "dashboard.postgresql"


def database_config(
    config: dict[str, Any],
    *,
    conn_max_age: int,
    pool_max_size: int,
    pool_timeout: float,
    connect_timeout: int = 3,
) -> dict[str, Any]:
    """Complete a DATABASE_URL config: a bounded pool on PostgreSQL, persistent connections else.

    Persistent connections (CONN_MAX_AGE) keep one connection per gunicorn *thread*, so a machine
    holds WEB_CONCURRENCY x GUNICORN_THREADS of them (32 by default) whether busy or not, and a
    few machines exhaust a small managed PostgreSQL plan. A pool shares `pool_max_size`
    connections between the threads of a process instead; a thread that finds none free waits up
    to `pool_timeout` seconds. Django refuses a pool together with persistent connections, hence
    CONN_MAX_AGE=0 there. SQLite has no server to exhaust and keeps persistent connections, which
    spare it reopening the file and re-running its PRAGMAs on every request.

    On PostgreSQL a connection attempt gives up after `connect_timeout` seconds (libpq counts
    whole seconds, at least 2), and the pool is this project's (dashboard/postgresql/): a thread
    waits up to `pool_timeout` while the pool is busy, but only a moment once the database has
    refused or failed to answer a connection: that request answers 503 instead.
    """
    config = {**config, "OPTIONS": dict(config.get("OPTIONS", {}))}
    if config["ENGINE"] == SQLITE_ENGINE:
        # WAL + IMMEDIATE transactions let threaded workers write audit rows without "database is
        # locked" errors.
        config["OPTIONS"].update(
            {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
    if config["ENGINE"] in POSTGRESQL_ENGINES:
        if pool_max_size < 1:
            raise ImproperlyConfigured("DATABASE_POOL_MAX_SIZE must be at least 1")
        if pool_timeout <= 0:
            raise ImproperlyConfigured("DATABASE_POOL_TIMEOUT must be a positive number of seconds")
        if connect_timeout < 1:
            raise ImproperlyConfigured("DATABASE_CONNECT_TIMEOUT must be at least 1 second")
        if config["ENGINE"] == "django.db.backends.postgresql":
            config["ENGINE"] = POSTGRESQL_ENGINE
        config["OPTIONS"].setdefault("connect_timeout", connect_timeout)
        config["OPTIONS"]["pool"] = {
            # One connection stays open so a quiet process answers without a connection setup;
            # the rest are opened under load and closed again after psycopg-pool's idle time.
            "min_size": 1,
            "max_size": pool_max_size,
            "timeout": pool_timeout,
            # psycopg-pool retries a failed connection with a growing back-off (1, 2, 4, 8 s…)
            # for reconnect_timeout; past it, the next request starts a fresh attempt at once.
            # Short, so a database back after a restart is used within a second or two of it.
            "reconnect_timeout": float(max(2, connect_timeout)),
        }
        config["CONN_MAX_AGE"] = 0
    else:
        config["CONN_MAX_AGE"] = conn_max_age
    # A connection the server closed meanwhile (restart, idle timeout) is replaced, not used.
    config["CONN_HEALTH_CHECKS"] = True
    return config


def redis_cache_config(
    url: str,
    *,
    ssl_cert_reqs: str,
    connect_timeout: float = 0.25,
    socket_timeout: float = 0.25,
    retry_interval: float = 3.0,
) -> dict[str, Any]:
    """Django's RedisCache on REDIS_URL; for rediss:// URLs, TLS with the chosen verification.

    Managed Redis add-ons (Heroku Redis among them) serve TLS with a self-signed certificate and
    hand out `rediss://` URLs; verifying that certificate fails, so those platforms need
    REDIS_SSL_CERT_REQS=none (encrypted, not authenticated). Everything else keeps "required".
    The OPTIONS go straight to redis-py's connection pool, which passes ssl_cert_reqs to its
    SSLConnection; a plain redis:// connection would reject the argument, so it gets none.

    The backend is fail-soft (customers_ui/core/fail_soft_cache.py): every operation is bounded
    by the connect and socket timeouts, and while Redis does not answer the database cache
    table serves instead, tried again every `retry_interval` seconds.
    """
    if ssl_cert_reqs not in REDIS_SSL_CERT_REQS_CHOICES:
        raise ImproperlyConfigured(
            f"REDIS_SSL_CERT_REQS must be one of {', '.join(REDIS_SSL_CERT_REQS_CHOICES)}"
        )
    for name, seconds in (
        ("REDIS_CONNECT_TIMEOUT", connect_timeout),
        ("REDIS_SOCKET_TIMEOUT", socket_timeout),
        ("REDIS_RETRY_INTERVAL", retry_interval),
    ):
        if seconds <= 0:
            raise ImproperlyConfigured(f"{name} must be a positive number of seconds")
    options: dict[str, Any] = {
        "socket_connect_timeout": connect_timeout,
        "socket_timeout": socket_timeout,
        "RETRY_INTERVAL": retry_interval,
        "FALLBACK_TABLE": DATABASE_CACHE_TABLE,
    }
    if url.startswith("rediss://"):
        options["ssl_cert_reqs"] = ssl_cert_reqs
    return {
        "BACKEND": FAIL_SOFT_REDIS_CACHE,
        "LOCATION": url,
        "KEY_PREFIX": "dashboard",
        "OPTIONS": options,
    }
