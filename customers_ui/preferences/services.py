"""Changing a user's preferences."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from customers_ui.core.zones import valid_zone
from customers_ui.models import UserPreferences
from customers_ui.preferences.middleware import remember_time_zone


def preferences_update(
    *, user: AbstractBaseUser, time_zone: str, session: Any | None = None
) -> UserPreferences:
    """Save the user's time zone ("" = follow the browser) and apply it to this session now."""
    if time_zone and valid_zone(time_zone) is None:
        raise ValidationError({"time_zone": "Pick a time zone from the list."})
    preferences, _ = UserPreferences.objects.update_or_create(
        user=user, defaults={"time_zone": time_zone}
    )
    if session is not None:
        remember_time_zone(session, time_zone)
    return preferences
