"""Settings of the customer lookup dashboard, read once from the environment.

One file for every environment (the cookiecutter-django habit): production safety is the default and
only `DEBUG=True` relaxes it, so the settings that run in production are the ones the tests run.
The names and defaults are a contract (see README "Configuration"); extend, never rename.
"""

from __future__ import annotations

import base64
import hashlib
import sys
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG: bool = env.bool("DEBUG", default=False)


def _required(name: str) -> str:
    """Stop the process with a one-line reason: a half-configured production box must not boot."""
    value = env.str(name, default="")
    if not value:
        sys.stderr.write(
            f"dashboard: refusing to start: {name} is not set (required when DEBUG=False)\n"
        )
        raise SystemExit(2)
    return value


_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"  # noqa: S105
SECRET_KEY: str = (
    env.str("SECRET_KEY", default=_DEV_SECRET_KEY) if DEBUG else _required("SECRET_KEY")
)

ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The Thredfi API origin, without /v1. Locally the bundled sandbox (`make demo` starts it).
THREDFI_BASE_URL: str = (
    env.str("THREDFI_BASE_URL", default="http://127.0.0.1:8765")
    if DEBUG
    else _required("THREDFI_BASE_URL")
).rstrip("/")
THREDFI_CONNECT_TIMEOUT: float = env.float("THREDFI_CONNECT_TIMEOUT", default=3.05)
THREDFI_READ_TIMEOUT: float = env.float("THREDFI_READ_TIMEOUT", default=8.0)
THREDFI_TOTAL_TIMEOUT: float = env.float("THREDFI_TOTAL_TIMEOUT", default=11.0)
THREDFI_MAX_BODY_BYTES: int = env.int("THREDFI_MAX_BODY_BYTES", default=5 * 1024 * 1024)
# How long business names/currencies are reused before asking Thredfi again.
BUSINESS_METADATA_TTL: int = env.int("BUSINESS_METADATA_TTL", default=300)


def _dev_encryption_key(secret: str) -> str:
    """A stable Fernet key for development only, so a fresh checkout works without setup."""
    digest = hashlib.sha256(f"dev-credentials-key:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


# Comma list of Fernet keys; the first encrypts, all decrypt (rotation: prepend a new key, then run
# `manage.py rotate_credentials_key`, then drop the old key).
CREDENTIALS_ENCRYPTION_KEYS: list[str] = (
    env.list("CREDENTIALS_ENCRYPTION_KEYS", default=[_dev_encryption_key(SECRET_KEY)])
    if DEBUG
    else [k for k in _required("CREDENTIALS_ENCRYPTION_KEYS").split(",") if k.strip()]
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "axes",
    "customers_ui",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compress ~5x; Django's GZip pads responses against BREACH (static files are
    # precompressed by whitenoise instead).
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "customers_ui.middleware.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires, so it sees the outcome of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "customers_ui.context_processors.fixed_urls",
                "customers_ui.context_processors.limits",
            ],
        },
    },
]

# Databases: SQLite file by default; anything django-environ understands via DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions let threaded workers write audit rows without "database is
    # locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# Persistent connections: opening one (and, for SQLite, re-running the PRAGMAs) costs more than
# the queries of a page. Health checks drop a connection the server closed meanwhile.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: tokens, business metadata and login lockouts must be shared by every web process.
REDIS_URL: str = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dashboard",
        }
    }
else:
    # The database cache is shared by all processes of one machine (created by a migration).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "dashboard_cache",
            "KEY_PREFIX": "dashboard",
        }
    }

# Sessions: cache first, database as the source of truth, so logout really ends a session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_IDLE_SECONDS: int = env.int("SESSION_IDLE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "customers_ui:home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock a username+IP pair after repeated failures, in the shared cache.
AXES_FAILURE_LIMIT: int = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Number of proxies (the PaaS router) in front of gunicorn: the X-Forwarded-For entry they add is
# the client's address.
TRUSTED_PROXY_COUNT: int = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

LANGUAGE_CODE = "en-gb"
# Money is formatted with Babel in this locale, in each business's own currency.
MONEY_LOCALE: str = env.str("MONEY_LOCALE", default="en_GB")
TIME_ZONE: str = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Hashed names never change content, so browsers may keep them for a year (whitenoise's default).
WHITENOISE_MAX_AGE = 0 if DEBUG else 60

# Security headers. Everything is on unless DEBUG=True; behind a PaaS router that terminates TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT: bool = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # platform health checks probe over plain HTTP
SECURE_HSTS_SECONDS: int = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD: bool = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "customers_ui.problem_pages.csrf_failure"

# A strict CSP: our own scripts/styles only, nothing inline, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOG_LEVEL: str = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # urllib3 at DEBUG would print full URLs; keep it quiet.
        "urllib3": {"level": "WARNING"},
    },
}
