"""Settings of the test OIDC provider: a Django project of its own, never the dashboard's.

Everything comes from ``OIDC_PROVIDER_*`` variables that ``__main__`` sets before Django starts
(the issuer needs the port, which is only known once the socket is bound). The secret key and the
RSA signing key are made at start-up, so every run is a fresh provider with nothing to leak.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from tests.oidc_provider.keys import new_rsa_private_pem

ISSUER = os.environ["OIDC_PROVIDER_ISSUER"]
DATA_DIR = Path(os.environ["OIDC_PROVIDER_DATA_DIR"])
CONTROL_SECRET = os.environ["OIDC_PROVIDER_CONTROL_SECRET"]
VERBOSE = os.environ.get("OIDC_PROVIDER_VERBOSE", "") == "1"

SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "oauth2_provider",
    "tests.oidc_provider.apps.OIDCProviderConfig",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "tests.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]

# WAL + IMMEDIATE transactions + a generous busy timeout: the server is threaded, and SQLite
# otherwise answers "database is locked" when a token exchange and a login write at once.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "oidc-provider.sqlite3",
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Build the schema straight from the models, as pytest-django's --nomigrations does: replaying
# DOT's 22 migrations (table rebuilds on SQLite) took ~2.7 s of a ~3.7 s start-up.
MIGRATION_MODULES = {
    app: None for app in ("contenttypes", "auth", "oauth2_provider", "oidc_provider")
}

# Signed-cookie sessions: no sessions table to migrate and no session writes to contend on.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
# Test users and client secrets need only be hashed, not slow to crack (PBKDF2 costs ~0.3 s each).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []

LOGIN_URL = "/login/"
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": new_rsa_private_pem(),
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.TestProviderValidator",
    "SCOPES": {
        "openid": "OpenID Connect",
        "email": "Email address",
        "profile": "Name",
    },
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": True,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    # Behave like a strict, current provider: S256 only, no implicit or password grants.
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
    "ID_TOKEN_EXPIRE_SECONDS": 600,
}

# DEBUG is off, so without this a 500's traceback would go nowhere; the test helper shows stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "WARNING"},
        "django.server": {
            "handlers": ["stderr"],
            "level": "INFO" if VERBOSE else "WARNING",
            "propagate": False,
        },
        "oauth2_provider": {"handlers": ["stderr"], "level": "INFO" if VERBOSE else "WARNING"},
    },
}
