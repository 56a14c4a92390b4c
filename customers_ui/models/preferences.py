"""What each support person chose for themselves (today: the time zone pages show times in)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class UserPreferences(models.Model):
    """One row per user who changed something; no row means every default."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    # An IANA zone name ("Europe/Paris"); "" means the zone the browser reports.
    time_zone = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "user preferences"

    def __str__(self) -> str:
        return f"preferences of user {self.user_id}"
