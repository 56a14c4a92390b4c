"""Sessions end on time and when the account changes: absolute lifetime, password change,
deactivation."""

from __future__ import annotations

import time

from django.test import Client

from customers_ui.accounts.session_lifetime import LOGIN_AT_SESSION_KEY
from tests.factories import CAST


def signed_in(username: str = "ada") -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": CAST[username]})
    assert response.status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    return client.get("/credentials/").status_code == 200


def test_a_session_ends_at_its_absolute_lifetime_however_busy(support_user, settings) -> None:
    client = signed_in()
    assert is_signed_in(client)
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = int(time.time()) - settings.SESSION_MAX_AGE_SECONDS - 1
    session.save()

    response = client.get("/credentials/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not is_signed_in(client)


def test_a_session_within_its_lifetime_carries_on(support_user, settings) -> None:
    client = signed_in()
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = int(time.time()) - settings.SESSION_MAX_AGE_SECONDS + 60
    session.save()
    assert is_signed_in(client)


def test_a_password_change_ends_the_users_other_sessions(support_user) -> None:
    laptop, phone = signed_in(), signed_in()

    response = laptop.post(
        "/accounts/password/",
        {
            "old_password": CAST["ada"],
            "new_password1": "a-brand-new-long-password-2",
            "new_password2": "a-brand-new-long-password-2",
        },
    )

    assert response.status_code == 302
    assert is_signed_in(laptop)  # the session that changed it stays
    assert not is_signed_in(phone)


def test_deactivating_a_user_ends_their_sessions_at_once(support_user, admin_client) -> None:
    session = signed_in()
    assert is_signed_in(session)

    support_user.is_active = False
    support_user.save(update_fields=["is_active"])

    assert not is_signed_in(session)
