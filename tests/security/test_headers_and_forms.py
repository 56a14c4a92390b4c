"""Browser features off, and keys and passwords masked in any error report."""

from __future__ import annotations

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.views.debug import SafeExceptionReporterFilter

from tests.credentials.conftest import PARTNER_UUID


def test_every_page_turns_off_browser_features_it_never_uses(client, support_user) -> None:
    for response in (client.get("/accounts/login/"), client.get("/healthz")):
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy


def test_hsts_does_not_preload_by_default(settings) -> None:
    assert settings.SECURE_HSTS_PRELOAD is False


@pytest.mark.parametrize(
    ("path", "field"),
    [("/credentials/new/", "api_key"), ("/accounts/login/", "password")],
)
def test_keys_and_passwords_are_masked_in_error_reports(
    path, field, support_user, credential, monkeypatch
) -> None:
    """If a view taking a secret crashes, Django's error report must not contain the secret."""
    from customers_ui.credentials import services

    def crash(**kwargs):
        raise RuntimeError("a crash while the secret is in the request")

    monkeypatch.setattr(services, "credential_create", crash)
    seen = []
    got_request_exception.connect(lambda sender, request, **kw: seen.append(request), weak=False)
    client = Client(raise_request_exception=False)
    client.force_login(support_user)
    if path == "/accounts/login/":
        monkeypatch.setattr("django.contrib.auth.views.auth_login", lambda *a, **k: crash())
        client.logout()
    client.post(
        path,
        {
            "label": "New",
            "partner_uuid": str(PARTNER_UUID),
            "api_key": "thredfi_live_SECRET_0123456789",
            "username": "ada",
            "password": "a-long-test-password-1",
        },
    )
    assert seen, "the view did not crash"
    masked = SafeExceptionReporterFilter().get_post_parameters(seen[-1])
    assert masked[field] == SafeExceptionReporterFilter.cleansed_substitute
