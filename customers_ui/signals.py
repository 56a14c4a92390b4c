"""Receivers of Django's own signals that the dashboard's rules hang on."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.http import HttpRequest

from customers_ui.accounts.login_throttle import record_failure
from customers_ui.accounts.session_lifetime import stamp_login_time
from customers_ui.core.audit_retention import database_floor_sync


@receiver(user_logged_in, dispatch_uid="customers_ui.stamp_login_time")
def _stamp_login_time(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        stamp_login_time(request=request)


@receiver(user_login_failed, dispatch_uid="customers_ui.count_failures_per_address")
def _count_failures_per_address(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Per address and per account (the typed username): see accounts/login_throttle.py."""
    if request is not None:
        record_failure(request=request, username=str(credentials.get("username") or ""))


@receiver(post_migrate, dispatch_uid="customers_ui.audit_floor_sync")
def _audit_floor_sync(sender: Any, app_config: Any = None, using: str = "default", **kwargs: Any):
    """Every `migrate` (each deploy's release phase, run by the database owner) writes
    AUDIT_RETENTION_DAYS into the PostgreSQL floor the audit trigger reads: DDL, so nothing the
    app sends at run time can lower it."""
    if app_config is not None and app_config.name == "customers_ui":
        database_floor_sync(using=using)
