"""Settings of the bench-only reference view: the dashboard's, minus all but a bare stack.

Same database, SECRET_KEY and password hashing (so the dashboard's session cookie works here),
Django's default database sessions, the middleware a `startproject` gives plus the login wall.
"""

from dashboard.settings import *  # noqa: F403
from dashboard.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.reference.urls"
SESSION_ENGINE = "django.contrib.sessions.backends.db"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [
    {
        **TEMPLATES[0],
        "DIRS": [BASE_DIR / "bench" / "reference" / "templates", *TEMPLATES[0]["DIRS"]],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
