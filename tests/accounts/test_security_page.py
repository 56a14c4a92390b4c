"""The Security page: how you signed in, your second factor, new recovery codes, turning it off."""

from __future__ import annotations

import pytest

from customers_ui.accounts import mfa
from customers_ui.models import AuthenticatorApp, SignInEvent

from .conftest import code_for, codes_from_page, enrol, sign_in_verified

pytestmark = pytest.mark.django_db
SECURITY = "/accounts/security/"


def test_without_a_second_factor_it_offers_one(client, sam) -> None:
    client.force_login(sam)

    html = client.get(SECURITY).content.decode()

    assert "With your username and password." in html
    assert "Off" in html
    assert 'href="/accounts/mfa/setup/"' in html


def test_the_header_links_to_it(client, sam) -> None:
    client.force_login(sam)

    assert f'href="{SECURITY}"' in client.get("/credentials/").content.decode()


def test_with_a_second_factor_it_says_so_and_counts_recovery_codes(client, sam) -> None:
    device, _ = enrol(sam, codes=3)
    sign_in_verified(client, sam, device)

    html = client.get(SECURITY).content.decode()

    assert "Authenticator app added" in html
    assert "3 recovery codes left." in html
    assert "Turn off two-factor authentication" in html


def test_new_recovery_codes_replace_the_old_ones(client, sam) -> None:
    device, old = enrol(sam)
    sign_in_verified(client, sam, device)

    response = client.post("/accounts/mfa/recovery-codes/", {"code": code_for(device.bin_key)})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your old recovery codes no longer work" in html
    new = [code.replace(" ", "") for code in codes_from_page(html)]
    assert len(set(new)) == 10 and not set(new) & set(old)
    assert mfa.recovery_codes_left(sam) == 10
    assert SignInEvent.objects.filter(kind="recovery_codes_renewed", user=sam).exists()


def test_turning_it_off_asks_first_then_removes_it(client, sam) -> None:
    device, _ = enrol(sam)
    sign_in_verified(client, sam, device)

    confirm = client.get("/accounts/mfa/remove/")
    assert "Turn off two-factor authentication?" in confirm.content.decode()
    assert mfa.has_second_factor(sam)

    response = client.post("/accounts/mfa/remove/", {"code": code_for(device.bin_key)}, follow=True)

    assert "Two-factor authentication is off for your account" in response.content.decode()
    assert not AuthenticatorApp.objects.filter(user=sam).exists()
    assert mfa.recovery_codes_left(sam) == 0
    assert SignInEvent.objects.filter(kind="mfa_removed", user=sam).exists()


def test_an_unverified_session_cannot_turn_it_off(client, sam) -> None:
    enrol(sam)
    client.force_login(sam)  # password only: the code was never typed

    response = client.post("/accounts/mfa/remove/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/verify/")
    assert AuthenticatorApp.objects.filter(user=sam).exists()


def test_sso_sign_ins_say_so(client, sso) -> None:
    person = sso.add_person(amr=("pwd", "mfa"))
    sso.sign_in(client, person)

    html = client.get(SECURITY).content.decode()

    assert "With single sign-on; your identity provider also checked a second factor" in html
    assert person.email in html
