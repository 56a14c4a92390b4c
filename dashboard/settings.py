"""Settings of the customer lookup dashboard, read once from the environment.

One file for every environment (the cookiecutter-django habit): production safety is the default and
only `DEBUG=True` relaxes it, so the settings that run in production are the ones the tests run.
The names and defaults are a contract (see docs/configuration.md); extend, never rename.
"""

from __future__ import annotations

import base64
import hashlib
import sys
from datetime import timedelta
from pathlib import Path
from typing import NoReturn

import environ
from csp.constants import NONE, SELF

from dashboard.backing_services import DATABASE_CACHE_TABLE, database_config, redis_cache_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG: bool = env.bool("DEBUG", default=False)


def _refuse_to_start(reason: str) -> NoReturn:
    """Stop the process with a one-line reason: a half-configured production box must not boot."""
    sys.stderr.write(f"dashboard: refusing to start: {reason}\n")
    raise SystemExit(2)


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        _refuse_to_start(f"{name} is not set (required when DEBUG=False)")
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
# `http://` is for the local sandbox: in production Thredfi is reached over TLS only, unless
# THREDFI_ALLOW_INSECURE_HTTP says otherwise (tests, local stand-ins).
THREDFI_ALLOW_INSECURE_HTTP: bool = env.bool("THREDFI_ALLOW_INSECURE_HTTP", default=False)
THREDFI_BASE_URL: str = (
    env.str("THREDFI_BASE_URL", default="http://127.0.0.1:8765")
    if DEBUG
    else _required("THREDFI_BASE_URL")
).rstrip("/")
if not DEBUG and not THREDFI_ALLOW_INSECURE_HTTP and not THREDFI_BASE_URL.startswith("https://"):
    _refuse_to_start(
        "THREDFI_BASE_URL must be an https:// URL when DEBUG=False "
        "(set THREDFI_ALLOW_INSECURE_HTTP=True only for tests and local stand-ins)"
    )
THREDFI_CONNECT_TIMEOUT: float = env.float("THREDFI_CONNECT_TIMEOUT", default=3.05)
THREDFI_READ_TIMEOUT: float = env.float("THREDFI_READ_TIMEOUT", default=8.0)
THREDFI_TOTAL_TIMEOUT: float = env.float("THREDFI_TOTAL_TIMEOUT", default=11.0)
THREDFI_MAX_BODY_BYTES: int = env.int("THREDFI_MAX_BODY_BYTES", default=5 * 1024 * 1024)
# Bulkhead, per web process: Thredfi calls in flight, and queued behind them. With gunicorn's
# GUNICORN_THREADS (32) this leaves threads for pages that need no Thredfi call, whatever it does.
THREDFI_MAX_CONCURRENT: int = env.int("THREDFI_MAX_CONCURRENT", default=16)
THREDFI_MAX_WAITING: int = env.int("THREDFI_MAX_WAITING", default=8)
# Circuit breaker, shared by every process: open after THRESHOLD outage signs (no answer,
# timeouts, 502/503/504) about 2+ resources that are at least RATIO of the calls in the last
# WINDOW seconds; fail fast for OPEN seconds, then let one probe through.
THREDFI_BREAKER_THRESHOLD: int = env.int("THREDFI_BREAKER_THRESHOLD", default=5)
THREDFI_BREAKER_RATIO: float = env.float("THREDFI_BREAKER_RATIO", default=0.5)
THREDFI_BREAKER_WINDOW_SECONDS: float = env.float("THREDFI_BREAKER_WINDOW_SECONDS", default=30.0)
THREDFI_BREAKER_OPEN_SECONDS: float = env.float("THREDFI_BREAKER_OPEN_SECONDS", default=5.0)
# How often each process re-reads the shared breaker state (one cache read): how soon it learns
# that another process opened or closed it.
THREDFI_BREAKER_STATE_REFRESH_SECONDS: float = env.float(
    "THREDFI_BREAKER_STATE_REFRESH_SECONDS", default=1.0
)
# How long business names/currencies are reused before asking Thredfi again.
BUSINESS_METADATA_TTL: int = env.int("BUSINESS_METADATA_TTL", default=300)
# Each partner's business directory (customers_ui/directory/): refreshed in the background when a
# page finds it older than this many seconds (the old one serves meanwhile), and by
# `manage.py sync_businesses`; a sync fetches this many pages of 100 businesses at once.
BUSINESS_DIRECTORY_TTL: int = env.int("BUSINESS_DIRECTORY_TTL", default=3600)
BUSINESS_DIRECTORY_FETCHES: int = env.int("BUSINESS_DIRECTORY_FETCHES", default=8)
# False: only admin-held team credentials may be used; personal credential pages are hidden and
# personal credentials refused for lookups (docs/teams.md).
PERSONAL_CREDENTIALS_ALLOWED: bool = env.bool("PERSONAL_CREDENTIALS_ALLOWED", default=True)


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
    # Second factors: django-otp's session verification and throttling for our own devices
    # (customers_ui/models/second_factors.py: seeds encrypted, recovery codes hashed). Its TOTP and
    # static plugins stay installed only for their tables, which migration 0007 emptied.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "customers_ui",
]

MIDDLEWARE = [
    # First: the request id every later log line, audit row and error page carries, and the
    # Permissions-Policy header.
    "customers_ui.core.middleware.RequestContextMiddleware",
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
    # Marks sessions whose second factor was verified (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # Sessions end SESSION_MAX_AGE_SECONDS after sign-in and SESSION_IDLE_SECONDS after last use.
    "customers_ui.accounts.session_lifetime.SessionLifetimeMiddleware",
    "customers_ui.accounts.login_throttle.LoginThrottleMiddleware",
    # Django's login wall, but pages marked login_not_required never load the user.
    "customers_ui.accounts.middleware.LoginRequiredMiddleware",
    # Times on pages in the user's own zone (their setting, else what their browser reports).
    "customers_ui.preferences.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session that owes a second factor reaches only the pages that let it pay.
    "customers_ui.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires, so it sees the outcome of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

# What every page's template sees, whichever engine renders it.
TEMPLATE_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "customers_ui.context_processors.fixed_urls",
    "customers_ui.context_processors.limits",
    "customers_ui.context_processors.assets",
    "customers_ui.context_processors.account",
]

# Django's template language for every page but the hot ones (the customer page, the customer list
# and the home page), which are Jinja2 (templates/jinja2/): the customer page renders in ~0.4 ms
# there against ~1.1 ms (issue #23). Django's engine is asked first and finds no such name, so it
# falls through to Jinja2, which also reads templates/ for what both engines share: the layout
# (templates/base.html) and the directory's status partial keep to what both read alike.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": TEMPLATE_CONTEXT_PROCESSORS,
            # The app's filters without {% load %}, so a partial both engines read can use them.
            "builtins": [
                "customers_ui.templatetags.display",
                "customers_ui.templatetags.money",
                "customers_ui.templatetags.zones",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2", BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "customers_ui.templatetags.jinja.environment",
            "context_processors": TEMPLATE_CONTEXT_PROCESSORS,
        },
    },
]

# Databases: SQLite file by default; anything django-environ understands via DATABASE_URL.
# PostgreSQL gets a connection pool of at most DATABASE_POOL_MAX_SIZE connections per process, so a
# machine holds at most WEB_CONCURRENCY x DATABASE_POOL_MAX_SIZE (docs/deploying.md);
# a thread waits up to DATABASE_POOL_TIMEOUT seconds for a free one. Other engines keep persistent
# connections for CONN_MAX_AGE seconds: opening one costs more than the queries of a page.
CONN_MAX_AGE: int = env.int("CONN_MAX_AGE", default=600)
DATABASE_POOL_MAX_SIZE: int = env.int("DATABASE_POOL_MAX_SIZE", default=4)
DATABASE_POOL_TIMEOUT: float = env.float("DATABASE_POOL_TIMEOUT", default=10.0)
# Seconds to reach PostgreSQL before giving up (libpq: whole seconds, at least 2). A request that
# cannot reach the database answers a 503 page instead of waiting out DATABASE_POOL_TIMEOUT
# (dashboard/postgresql/; docs/resilience.md).
DATABASE_CONNECT_TIMEOUT: int = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
DATABASES = {
    "default": database_config(
        env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=CONN_MAX_AGE,
        pool_max_size=DATABASE_POOL_MAX_SIZE,
        pool_timeout=DATABASE_POOL_TIMEOUT,
        connect_timeout=DATABASE_CONNECT_TIMEOUT,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: tokens, business metadata and login lockouts must be shared by every web process.
REDIS_URL: str = env.str("REDIS_URL", default="")
# For rediss:// URLs: "required" verifies the server certificate; "none" for platforms whose
# Redis presents a self-signed one (Heroku Redis).
REDIS_SSL_CERT_REQS: str = env.str("REDIS_SSL_CERT_REQS", default="required")
# The shared cache is an accelerator, never a single point of failure (docs/resilience.md): each
# Redis connect / operation gives up after these seconds and counts as a miss; after a failure a
# process serves from the database cache and tries Redis again every REDIS_RETRY_INTERVAL seconds.
REDIS_CONNECT_TIMEOUT: float = env.float("REDIS_CONNECT_TIMEOUT", default=0.25)
REDIS_SOCKET_TIMEOUT: float = env.float("REDIS_SOCKET_TIMEOUT", default=0.25)
REDIS_RETRY_INTERVAL: float = env.float("REDIS_RETRY_INTERVAL", default=3.0)
if REDIS_URL:
    CACHES = {
        "default": redis_cache_config(
            REDIS_URL,
            ssl_cert_reqs=REDIS_SSL_CERT_REQS,
            connect_timeout=REDIS_CONNECT_TIMEOUT,
            socket_timeout=REDIS_SOCKET_TIMEOUT,
            retry_interval=REDIS_RETRY_INTERVAL,
        )
    }
else:
    # The database cache is shared by all processes of one machine (created by a migration).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
            "KEY_PREFIX": "dashboard",
        }
    }

# Sessions live in the database only: they survive a Redis outage, and logout or a password
# change ends a session for good (a cache in front could hand an ended session back after an
# outage during which it was deleted). One primary-key query per request.
# Django's database sessions, read with one plain SELECT (customers_ui/accounts/session_store.py).
SESSION_ENGINE = "customers_ui.accounts.session_store"
SESSION_IDLE_SECONDS: int = env.int("SESSION_IDLE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# ...and however busy, a session ends this long after sign-in (customers_ui.core.middleware).
SESSION_MAX_AGE_SECONDS: int = env.int("SESSION_MAX_AGE_SECONDS", default=24 * 60 * 60)
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend's password check, obeying PASSWORD_LOGIN; and the sessions single sign-on began.
    "customers_ui.accounts.backends.PasswordBackend",
    "customers_ui.accounts.backends.SSOBackend",
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
# Number of proxies (the PaaS router) in front of gunicorn. Each appends the address it was
# connected from to X-Forwarded-For, so the client's address is the TRUSTED_PROXY_COUNT-th entry
# from the right; entries further left were written by the client
# (customers_ui.core.client_address).
TRUSTED_PROXY_COUNT: int = env.int("TRUSTED_PROXY_COUNT", default=0)
# Lockouts count per client bucket: the address, an IPv6 /64, or an unparseable entry on its own.
AXES_CLIENT_IP_CALLABLE = "customers_ui.core.client_address.client_bucket"
# Password spraying: failed sign-ins from one address, across all usernames, before that address
# is refused for AXES_COOLOFF_MINUTES (customers_ui.accounts.login_throttle). Higher than the
# per user + address limit, so a shared office address survives a few typos.
LOGIN_FAILURES_PER_ADDRESS: int = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
# Password guessing from many addresses: failed password sign-ins for one account, from any
# address, before password sign-in for it pauses for AXES_COOLOFF_MINUTES (single sign-on still
# works). OWASP ASVS 2.2.1; docs/sign-in.md.
LOGIN_FAILURES_PER_ACCOUNT: int = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=50)

# Sign-in: single sign-on with any OpenID Connect provider, and second factors (customers_ui/
# accounts; docs/sign-in.md). SSO is offered when
# OIDC_ISSUER is set; the provider's endpoints and keys come from its discovery document at
# OIDC_ISSUER + "/.well-known/openid-configuration". OIDC_ISSUER must be exactly the `iss` its
# ID tokens carry (keep or omit a trailing "/" as the provider does).
OIDC_ISSUER: str = env.str("OIDC_ISSUER", default="")
OIDC_CLIENT_ID: str = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET: str = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_PROVIDER_NAME: str = env.str("OIDC_PROVIDER_NAME", default="your company account")
# Comma list: only people whose e-mail domain is listed may sign in (and get an account on
# their first sign-in). Exact domains, no wildcards.
OIDC_ALLOWED_EMAIL_DOMAINS: list[str] = [
    domain.strip().lower().removeprefix("@")
    for domain in env.list("OIDC_ALLOWED_EMAIL_DOMAINS", default=[])
    if domain.strip()
]
# The callback URL registered with the provider; unset: https://<the host the browser used>
# /accounts/sso/callback/ (set it when the dashboard answers on several host names).
OIDC_REDIRECT_URI: str = env.str("OIDC_REDIRECT_URI", default="")
# The provider did a second factor itself when the ID token's `amr` claim (RFC 8176) holds one
# of OIDC_MFA_AMR_VALUES (default just `mfa`), or, with OIDC_MFA_TWO_METHODS, two different
# authentication methods (`pwd` + `otp`, `hwk` + `pin`); one method alone (`otp`, `hwk`) is one
# factor. Such sign-ins need no second factor here. OIDC_TRUST_PROVIDER_MFA=False: never.
# (docs/sso-hardening.md)
OIDC_MFA_AMR_VALUES: list[str] = env.list("OIDC_MFA_AMR_VALUES", default=["mfa"])
OIDC_MFA_TWO_METHODS: bool = env.bool("OIDC_MFA_TWO_METHODS", default=True)
OIDC_TRUST_PROVIDER_MFA: bool = env.bool("OIDC_TRUST_PROVIDER_MFA", default=True)
# Only an ID token whose `email_verified` is the JSON boolean true signs in. False: a provider
# that never sends the claim is accepted without it (an explicit non-true value still refuses).
OIDC_REQUIRE_EMAIL_VERIFIED: bool = env.bool("OIDC_REQUIRE_EMAIL_VERIFIED", default=True)
# Google Workspace names the account's organisation in `hd`. When present it must be one of
# OIDC_ALLOWED_EMAIL_DOMAINS; when required (default: the issuer is Google's), a token without it
# (a consumer Google account registered with a company address) is refused.
OIDC_REQUIRE_HOSTED_DOMAIN: bool = env.bool(
    "OIDC_REQUIRE_HOSTED_DOMAIN", default=OIDC_ISSUER.rstrip("/") == "https://accounts.google.com"
)
# Algorithms an ID token may be signed with; never taken from the provider's discovery document
# (which could list "none", or HS256 keyed with our own client secret). Asymmetric only.
OIDC_ASYMMETRIC_ALGORITHMS = (
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
)  # fmt: skip
OIDC_ID_TOKEN_ALGORITHMS: list[str] = [
    alg.strip()
    for alg in env.list("OIDC_ID_TOKEN_ALGORITHMS", default=list(OIDC_ASYMMETRIC_ALGORITHMS))
    if alg.strip()
]
if not OIDC_ID_TOKEN_ALGORITHMS or not set(OIDC_ID_TOKEN_ALGORITHMS) <= set(
    OIDC_ASYMMETRIC_ALGORITHMS
):
    _refuse_to_start(
        "OIDC_ID_TOKEN_ALGORITHMS must name one or more of " + ", ".join(OIDC_ASYMMETRIC_ALGORITHMS)
    )
# Refused single sign-on callbacks from one address (an IPv6 /64 counts as one) before that
# address is answered 429, with no provider call and no audit row, for AXES_COOLOFF_MINUTES.
SSO_CALLBACK_FAILURES_PER_ADDRESS: int = env.int("SSO_CALLBACK_FAILURES_PER_ADDRESS", default=20)
OIDC_TIMEOUT: float = env.float("OIDC_TIMEOUT", default=10.0)
# `http://` issuers only for tests and local stand-ins: discovery and keys must come over TLS.
OIDC_ALLOW_INSECURE_HTTP: bool = env.bool("OIDC_ALLOW_INSECURE_HTTP", default=False)
# PASSWORD_LOGIN=False: the login page offers single sign-on only and refuses passwords, except a
# break-glass grant (`manage.py allow_password_login USERNAME`).
PASSWORD_LOGIN: bool = env.bool("PASSWORD_LOGIN", default=True)
# MFA_REQUIRED=True: whoever has no second factor (and whose SSO provider did none) must enrol
# before any other page. Users who enrolled are asked for it at every sign-in regardless.
MFA_REQUIRED: bool = env.bool("MFA_REQUIRED", default=False)
# django-otp: the name authenticator apps show, and no device secrets in the admin.
OTP_TOTP_ISSUER: str = env.str("MFA_TOTP_ISSUER", default="Customer lookup")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True


if not DEBUG and OIDC_ISSUER:
    for _name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ALLOWED_EMAIL_DOMAINS"):
        if not env.str(_name, default="").strip():
            _refuse_to_start(f"{_name} is not set (required with OIDC_ISSUER when DEBUG=False)")
    if not OIDC_ISSUER.startswith("https://") and not OIDC_ALLOW_INSECURE_HTTP:
        _refuse_to_start(
            "OIDC_ISSUER must be an https:// URL when DEBUG=False "
            "(set OIDC_ALLOW_INSECURE_HTTP=True only for tests and local stand-ins)"
        )
if not DEBUG and not PASSWORD_LOGIN and not OIDC_ISSUER:
    _refuse_to_start("PASSWORD_LOGIN=False needs OIDC_ISSUER: nobody could sign in")

LANGUAGE_CODE = "en-gb"
# Money is formatted with Babel in this locale, in each business's own currency.
MONEY_LOCALE: str = env.str("MONEY_LOCALE", default="en_GB")
TIME_ZONE: str = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Whitenoise's hashed, precompressed files, with CSS/JS comments and indentation left out first
# (dashboard/static_storage.py): a customer page and its assets fit in 8 KB compressed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "dashboard.static_storage.MinifiedStaticFilesStorage"},
}
# Hashed names never change content, so browsers may keep them for a year (whitenoise's default).
WHITENOISE_MAX_AGE = 0 if DEBUG else 60

# Security headers. Everything is on unless DEBUG=True; behind a PaaS router that terminates TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT: bool = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # platform health checks probe over plain HTTP
SECURE_HSTS_SECONDS: int = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading puts the domain (and every subdomain) on browsers' HTTPS-only list for months: an
# operator's decision for their whole domain, so off unless asked for.
SECURE_HSTS_PRELOAD: bool = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # `check --deploy` warns about preload being off (W021); that is the decision above.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "customers_ui.core.problem_pages.csrf_failure"

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
# "json": one JSON object a line on stdout with time, level, logger, message, request_id, user_id
# and the structured fields the code attaches (production default); "text" for people (DEBUG).
LOG_FORMAT: str = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    _refuse_to_start("LOG_FORMAT must be json or text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "customers_ui.core.log_records.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "customers_ui.core.log_records.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # urllib3 at DEBUG would print full URLs; keep it quiet.
        "urllib3": {"level": "WARNING"},
        # Django's request logger repeats every 4xx/5xx with the path; ours already said why.
        "django.request": {"level": "ERROR"},
    },
}

# Deep links from helpdesk tickets (`/go`, docs/helpdesk-links.md). A link whose Referer origin is
# listed here acts at once; from anywhere else a link gets a one-click confirmation page first
# (no Thredfi call). Exact origins (scheme://host[:port]), comma-separated; no wildcards.
HELPDESK_ORIGINS: list[str] = [
    origin.strip() for origin in env.list("HELPDESK_ORIGINS", default=[]) if origin.strip()
]
# Turns a ticket reference into a link on the detail page and in the audit admin: "{ticket}" is
# replaced by the (URL-quoted) reference, e.g. https://acme.zendesk.com/agent/tickets/{ticket}.
HELPDESK_TICKET_URL: str = env.str("HELPDESK_TICKET_URL", default="")
# How long a ticket reference from `/go` stays attached to that customer's lookups (audit rows).
TICKET_CONTEXT_MINUTES: int = env.int("TICKET_CONTEXT_MINUTES", default=30)
# The text the detail page's "Copy summary" puts on the clipboard (Django template syntax, text
# only, rendered without autoescaping and with only the summary's values; see
# customers_ui/lookup/summary.py for the names and the default). Unset or broken: the default.
LOOKUP_SUMMARY_TEMPLATE: str = env.str("LOOKUP_SUMMARY_TEMPLATE", default="", multiline=True)

# How long the audit trail is kept: `python manage.py purge_audit` (daily, from a scheduler)
# deletes older lookup and sign-in events. 0 keeps everything.
AUDIT_RETENTION_DAYS: int = env.int("AUDIT_RETENTION_DAYS", default=400)

# Optional error reporting: with SENTRY_DSN set, unhandled errors go to Sentry, scrubbed of
# credentials, cookies, tokens and query strings (dashboard/sentry.py). Unset: nothing is sent.
SENTRY_DSN: str = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT: str = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_TRACES_SAMPLE_RATE: float = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    from dashboard.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
