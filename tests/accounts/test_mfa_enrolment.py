"""Enrolment: scan (or type) the secret, confirm with a code, see 10 recovery codes once."""

from __future__ import annotations

import pytest

from customers_ui.accounts import mfa
from customers_ui.models import AuthenticatorApp, SignInEvent

from .conftest import (
    code_for,
    codes_from_page,
    enrol,
    key_from_page,
    password_sign_in,
    sign_in_verified,
    text,
)

pytestmark = pytest.mark.django_db
SETUP = "/accounts/mfa/setup/"


@pytest.fixture
def signed_in(client, sam):
    client.force_login(sam)
    return client


def test_the_page_shows_a_qr_code_and_the_key_to_type(signed_in, sam) -> None:
    response = signed_in.get(SETUP)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Set up two-factor authentication" in html
    assert '<img class="qr-code" src="data:image/svg+xml' in html
    assert 'alt="QR code that adds this account to an authenticator app"' in html
    assert len(key_from_page(html)) == 20  # 160 bits; held by this session until confirmed
    assert not AuthenticatorApp.objects.filter(user=sam).exists()
    assert 'autocomplete="one-time-code"' in html
    assert "no-store" in response["Cache-Control"]


def test_reloading_shows_the_same_secret(signed_in) -> None:
    first = key_from_page(signed_in.get(SETUP).content.decode())
    second = key_from_page(signed_in.get(SETUP).content.decode())

    assert first == second


def test_a_code_from_the_app_turns_it_on_and_shows_ten_recovery_codes(signed_in, sam) -> None:
    key = key_from_page(signed_in.get(SETUP).content.decode())

    response = signed_in.post(SETUP, {"code": code_for(key)})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Two-factor authentication is on" in html
    assert "This is the only time they are shown" in html
    codes = codes_from_page(html)
    assert len(codes) == len(set(codes)) == 10
    assert AuthenticatorApp.objects.get(user=sam).bin_key == key
    assert mfa.recovery_codes_left(sam) == 10
    assert SignInEvent.objects.filter(kind="mfa_enrolled", user=sam, method="totp").exists()
    # This session counts as verified: pages open without asking for a code again.
    assert signed_in.get("/credentials/").status_code == 200


def test_recovery_codes_are_never_shown_again(signed_in, sam) -> None:
    key = key_from_page(signed_in.get(SETUP).content.decode())
    codes = codes_from_page(signed_in.post(SETUP, {"code": code_for(key)}).content.decode())

    for url in (SETUP, "/accounts/security/"):
        page = signed_in.get(url, follow=True).content.decode()
        assert not any(code in page for code in codes), url
    assert "10 recovery codes left" in signed_in.get("/accounts/security/").content.decode()


def test_a_wrong_code_is_refused_and_nothing_is_turned_on(signed_in, sam) -> None:
    key = key_from_page(signed_in.get(SETUP).content.decode())
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"

    response = signed_in.post(SETUP, {"code": wrong})

    assert response.status_code == 400
    assert "That code didn't match" in text(response)
    assert not AuthenticatorApp.objects.filter(user=sam).exists()
    assert key_from_page(response.content.decode()) == key  # same secret: try again


def test_something_that_is_not_a_code_is_explained(signed_in) -> None:
    signed_in.get(SETUP)

    response = signed_in.post(SETUP, {"code": "12ab"})

    assert response.status_code == 400
    assert "Enter the 6 digits your authenticator app shows now" in response.content.decode()


def test_repeated_wrong_codes_are_throttled(signed_in) -> None:
    key = key_from_page(signed_in.get(SETUP).content.decode())
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
    for _ in range(3):
        signed_in.post(SETUP, {"code": wrong})

    response = signed_in.post(SETUP, {"code": code_for(key)})  # right, but too soon

    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_someone_already_enrolled_is_sent_to_the_security_page(client, sam) -> None:
    device, _ = enrol(sam)
    sign_in_verified(client, sam, device)

    response = client.get(SETUP, follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/security/"
    assert "already set up" in response.content.decode()


def test_a_code_used_to_enrol_cannot_be_used_again_to_sign_in(client, sam) -> None:
    password_sign_in(client)
    key = key_from_page(client.get(SETUP).content.decode())
    code = code_for(key)
    client.post(SETUP, {"code": code})
    client.post("/accounts/logout/")
    password_sign_in(client)

    response = client.post("/accounts/mfa/verify/", {"code": code})

    assert response.status_code == 400
    assert "That code didn't match" in text(response)
