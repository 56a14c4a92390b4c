"""L2 (issue 20): the session key is renewed when the second factor is verified, as at login,
so a session id planted or seen before verification is worth nothing after it."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client

from .conftest import code_for, enrol, password_sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("recovery", [False, True])
def test_verifying_the_second_factor_renews_the_session_key(client, sam, recovery) -> None:
    device, codes = enrol(sam)
    password_sign_in(client)
    before = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    data = {"recovery_code": codes[0]} if recovery else {"code": code_for(device.bin_key)}
    assert client.post("/accounts/mfa/verify/", data).status_code == 302

    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert client.get("/credentials/").status_code == 200
    # Whoever held the old session id holds nothing now.
    stale = Client()
    stale.cookies[django_settings.SESSION_COOKIE_NAME] = before
    response = stale.get("/credentials/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_enrolling_renews_the_session_key_too(client, sam) -> None:
    from .conftest import key_from_page

    client.force_login(sam)
    key = key_from_page(client.get("/accounts/mfa/setup/").content.decode())
    before = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    assert client.post("/accounts/mfa/setup/", {"code": code_for(key)}).status_code == 200

    assert client.cookies[django_settings.SESSION_COOKIE_NAME].value != before
