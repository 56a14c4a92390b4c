"""Receivers of Django's own signals that the dashboard's rules hang on."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from customers_ui.accounts.login_throttle import record_failure
from customers_ui.accounts.session_lifetime import stamp_login_time


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
