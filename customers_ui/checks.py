"""System checks: refuse to run (migrate, runserver, deploy) with unusable encryption keys.

Without this, a typo in CREDENTIALS_ENCRYPTION_KEYS shows up only when someone first saves or
uses a credential. Messages never include key material.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from customers_ui.core import crypto

HINT = (
    "Set CREDENTIALS_ENCRYPTION_KEYS to a comma-separated list of Fernet keys (the first one "
    "encrypts, all decrypt). Make one with `python manage.py generate_encryption_key`."
)


@register("security")
def check_credentials_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    keys = getattr(settings, "CREDENTIALS_ENCRYPTION_KEYS", None)
    if not keys or not isinstance(keys, list | tuple):
        return [
            Error(
                "CREDENTIALS_ENCRYPTION_KEYS is empty: stored API keys cannot be encrypted.",
                hint=HINT,
                id="customers_ui.E001",
            )
        ]
    try:
        crypto.check_keys()
    except ImproperlyConfigured:
        return [
            Error(
                f"CREDENTIALS_ENCRYPTION_KEYS holds a value that is not a valid Fernet key "
                f"({len(keys)} configured).",
                hint=HINT,
                id="customers_ui.E002",
            )
        ]
    return []
