"""Routes: DOT's endpoints under /o/ (so the issuer has a path), a login page, the control API."""

from __future__ import annotations

from django.contrib.auth.views import LoginView
from django.urls import include, path, re_path

from tests.oidc_provider import control, discovery

urlpatterns = [
    # DOT's discovery document, listing "none" while an unsigned token is pending.
    re_path(r"^o/\.well-known/openid-configuration/?$", discovery.openid_configuration),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", LoginView.as_view(template_name="oidc_provider/login.html"), name="login"),
    path("_control/health", control.health),
    path("_control/users", control.upsert_user),
    path("_control/clients", control.upsert_client),
    path("_control/misbehave", control.misbehave),
    path("_control/behave", control.behave),
]
