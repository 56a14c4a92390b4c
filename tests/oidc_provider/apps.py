"""App config: a short, explicit label so models and migrations don't depend on the dotted path."""

from __future__ import annotations

from django.apps import AppConfig


class OIDCProviderConfig(AppConfig):
    name = "tests.oidc_provider"
    label = "oidc_provider"
    verbose_name = "Test OpenID Connect provider"
    default_auto_field = "django.db.models.BigAutoField"
