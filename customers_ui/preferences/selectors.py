"""Reads of a user's preferences."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from customers_ui.models import UserPreferences


def preferences_get(*, user: AbstractBaseUser) -> UserPreferences:
    """The user's preferences; an unsaved row of defaults when they never changed any."""
    found = UserPreferences.objects.filter(user=user).first()
    return found if found is not None else UserPreferences(user=user)
