"""Django settings for the backing services a PaaS attaches by URL: the database and Redis.

Plain functions of already-parsed environment values, so settings.py stays declarative and the
choices below (pool bounds, TLS verification) can be tested without re-importing settings.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

POSTGRESQL_ENGINES = frozenset(
    {"django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"}
)
SQLITE_ENGINE = "django.db.backends.sqlite3"
# What redis-py's SSLConnection accepts as ssl_cert_reqs ("optional" verifies only a certificate
# the server chooses to present, which protects nothing, so it is not offered).
REDIS_SSL_CERT_REQS_CHOICES = ("required", "none")


def database_config(
    config: dict[str, Any],
    *,
    conn_max_age: int,
    pool_max_size: int,
    pool_timeout: float,
) -> dict[str, Any]:
    """Complete a DATABASE_URL config: a bounded pool on PostgreSQL, persistent connections else.

    Persistent connections (CONN_MAX_AGE) keep one connection per gunicorn *thread*, so a machine
    holds WEB_CONCURRENCY x GUNICORN_THREADS of them (32 by default) whether busy or not, and a
    few machines exhaust a small managed PostgreSQL plan. A pool shares `pool_max_size`
    connections between the threads of a process instead; a thread that finds none free waits up
    to `pool_timeout` seconds. Django refuses a pool together with persistent connections, hence
    CONN_MAX_AGE=0 there. SQLite has no server to exhaust and keeps persistent connections, which
    spare it reopening the file and re-running its PRAGMAs on every request.
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
        config["OPTIONS"]["pool"] = {
            # One connection stays open so a quiet process answers without a connection setup;
            # the rest are opened under load and closed again after psycopg-pool's idle time.
            "min_size": 1,
            "max_size": pool_max_size,
            "timeout": pool_timeout,
        }
        config["CONN_MAX_AGE"] = 0
    else:
        config["CONN_MAX_AGE"] = conn_max_age
    # A connection the server closed meanwhile (restart, idle timeout) is replaced, not used.
    config["CONN_HEALTH_CHECKS"] = True
    return config


def redis_cache_config(url: str, *, ssl_cert_reqs: str) -> dict[str, Any]:
    """Django's RedisCache on REDIS_URL; for rediss:// URLs, TLS with the chosen verification.

    Managed Redis add-ons (Heroku Redis among them) serve TLS with a self-signed certificate and
    hand out `rediss://` URLs; verifying that certificate fails, so those platforms need
    REDIS_SSL_CERT_REQS=none (encrypted, not authenticated). Everything else keeps "required".
    The OPTIONS go straight to redis-py's connection pool, which passes ssl_cert_reqs to its
    SSLConnection; a plain redis:// connection would reject the argument, so it gets none.
    """
    if ssl_cert_reqs not in REDIS_SSL_CERT_REQS_CHOICES:
        raise ImproperlyConfigured(
            f"REDIS_SSL_CERT_REQS must be one of {', '.join(REDIS_SSL_CERT_REQS_CHOICES)}"
        )
    config: dict[str, Any] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "dashboard",
    }
    if url.startswith("rediss://"):
        config["OPTIONS"] = {"ssl_cert_reqs": ssl_cert_reqs}
    return config
