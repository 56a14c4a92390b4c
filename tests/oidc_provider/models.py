"""Per-user OIDC claims that ``auth.User`` has no column for."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What the provider asserts about a user, set by tests through the control API.

    ``sub`` is its own value, not the primary key, so tests can prove the dashboard keys accounts
    on the subject the provider publishes (and can give two providers' users the same ``sub``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_profile"
    )
    sub = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=255, blank=True)
    email_verified = models.BooleanField(default=True)
    amr = models.JSONField(default=list)

    def __str__(self) -> str:
        return self.sub
