"""After the password, someone with a second factor types a code (or a recovery code) before
any page opens."""

from __future__ import annotations

import pytest

from customers_ui.models import SignInEvent

from .conftest import code_for, enrol, password_sign_in, text

pytestmark = pytest.mark.django_db
VERIFY = "/accounts/mfa/verify/"


@pytest.fixture
def enrolled(sam):
    device, codes = enrol(sam)
    return device, codes


def test_after_the_password_the_code_is_asked_for(client, sam, enrolled) -> None:
    response = password_sign_in(client)
    assert response.status_code == 302

    page = client.get(response["Location"])

    assert page.status_code == 302
    assert page["Location"] == f"{VERIFY}?next=%2F"
    verify = client.get(page["Location"]).content.decode()
    assert "Open your authenticator app" in verify
    assert "Lost your phone? Use a recovery code" in verify


def test_the_right_code_opens_the_page_asked_for(client, sam, enrolled) -> None:
    device, _ = enrolled
    password_sign_in(client)

    response = client.post(f"{VERIFY}?next=/credentials/", {"code": code_for(device.bin_key)})

    assert response.status_code == 302
    assert response["Location"] == "/credentials/"
    assert client.get("/credentials/").status_code == 200
    event = SignInEvent.objects.get(kind="mfa_verified")
    assert (event.user, event.method) == (sam, "totp")


def test_a_wrong_code_is_refused(client, sam, enrolled) -> None:
    device, _ = enrolled
    password_sign_in(client)
    wrong = f"{(int(code_for(device.bin_key)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 400
    assert "That code didn't match" in text(response)
    assert client.get("/credentials/")["Location"].startswith(VERIFY)
    failed = SignInEvent.objects.get(kind="sign_in_failed", method="totp")
    assert (failed.user, failed.detail) == (sam, "wrong code")


def test_wrong_codes_are_throttled_even_before_a_right_one(client, sam, enrolled) -> None:
    device, _ = enrolled
    password_sign_in(client)
    wrong = f"{(int(code_for(device.bin_key)) + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"code": wrong})
    client.post(VERIFY, {"code": wrong})

    response = client.post(VERIFY, {"code": code_for(device.bin_key)})

    assert response.status_code == 429
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert client.get("/credentials/")["Location"].startswith(VERIFY)
    assert SignInEvent.objects.filter(detail="too many wrong codes: throttled").exists()


def test_a_recovery_code_works_once(client, sam, enrolled) -> None:
    _, codes = enrolled
    password_sign_in(client)
    typed = f"{codes[0][:4].upper()}-{codes[0][4:]}"  # as people type them: capitals, a dash

    assert client.post(VERIFY, {"recovery_code": typed}).status_code == 302
    assert client.get("/credentials/").status_code == 200
    client.post("/accounts/logout/")
    password_sign_in(client)

    again = client.post(VERIFY, {"recovery_code": codes[0]})

    assert again.status_code == 400
    assert "That recovery code didn't match, or it was already used" in text(again)
    assert client.get("/credentials/")["Location"].startswith(VERIFY)


def test_using_a_recovery_code_says_how_many_are_left(client, sam, enrolled) -> None:
    _, codes = enrolled
    password_sign_in(client)

    response = client.post(VERIFY, {"recovery_code": codes[0]}, follow=True)

    assert "You used a recovery code; 2 left" in response.content.decode()
    assert SignInEvent.objects.get(kind="mfa_verified").method == "recovery_code"


def test_a_new_sign_in_must_verify_again(client, sam, enrolled) -> None:
    device, _ = enrolled
    password_sign_in(client)
    client.post(VERIFY, {"code": code_for(device.bin_key)})

    password_sign_in(client)  # signing in again in the same browser

    assert client.get("/credentials/")["Location"].startswith(VERIFY)


def test_the_admin_is_behind_the_code_too(client, sam, enrolled) -> None:
    sam.is_staff = sam.is_superuser = True
    sam.save()
    password_sign_in(client)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_without_a_second_factor_the_verify_page_steps_aside(client, sam) -> None:
    password_sign_in(client)

    response = client.get(VERIFY)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logging_out_is_possible_without_a_code(client, sam, enrolled) -> None:
    password_sign_in(client)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") is None
