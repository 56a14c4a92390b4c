"""M1 (issue 20): a pending authenticator secret belongs to the session that asked for it.

Before: the secret waiting for confirmation belonged to the user. Someone with the password
opened the enrolment page, copied the key and left; the real user later saw the *same* key,
confirmed it, and the attacker held their second factor, with nothing in the audit trail.
"""

from __future__ import annotations

from base64 import b32encode

import pytest
from django.test import Client

from customers_ui.models import AuthenticatorApp, SignInEvent
from tests.accounts.conftest import PASSWORD, code_for, key_from_page
from tests.security.database_search import tables_holding

pytestmark = pytest.mark.django_db
SETUP = "/accounts/mfa/setup/"


@pytest.fixture
def sam(django_user_model):
    return django_user_model.objects.create_user("sam", password=PASSWORD)


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_sessions_of_one_user_get_different_setup_keys(sam) -> None:
    attacker, owner = _session(sam), _session(sam)

    attackers_key = key_from_page(attacker.get(SETUP).content.decode())
    owners_key = key_from_page(owner.get(SETUP).content.decode())

    assert attackers_key != owners_key
    # Reloading in one session still shows that session's key (it may already be scanned).
    assert key_from_page(owner.get(SETUP).content.decode()) == owners_key


def test_the_key_one_session_saw_is_never_the_others_confirmed_factor(sam) -> None:
    attacker, owner = _session(sam), _session(sam)
    attackers_key = key_from_page(attacker.get(SETUP).content.decode())
    owners_key = key_from_page(owner.get(SETUP).content.decode())

    assert owner.post(SETUP, {"code": code_for(owners_key)}).status_code == 200

    # Later, the attacker signs in with the password and tries codes from the key they copied.
    intruder = Client()
    intruder.post("/accounts/login/", {"username": "sam", "password": PASSWORD})
    refused = intruder.post("/accounts/mfa/verify/", {"code": code_for(attackers_key)})
    assert refused.status_code == 400
    assert intruder.get("/credentials/").status_code == 302  # still owes the second factor
    # ...and their own stale enrolment cannot replace the owner's factor either.
    attacker.post(SETUP, {"code": code_for(attackers_key, steps_ahead=1)})
    assert [app.bin_key for app in AuthenticatorApp.objects.filter(user=sam)] == [owners_key]


def test_confirming_deletes_every_other_unconfirmed_device(sam) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    stale = TOTPDevice.objects.create(user=sam, name="from before the fix", confirmed=False)
    AuthenticatorApp.objects.create(
        user=sam, name="stray", confirmed=False, key_encrypted=AuthenticatorApp.seal(b"k" * 20)
    )
    client = _session(sam)
    key = key_from_page(client.get(SETUP).content.decode())

    assert client.post(SETUP, {"code": code_for(key)}).status_code == 200

    assert not TOTPDevice.objects.filter(pk=stale.pk).exists()
    assert list(AuthenticatorApp.objects.filter(user=sam).values_list("confirmed", flat=True)) == [
        True
    ]


def test_showing_a_setup_key_is_a_sign_in_event(sam) -> None:
    client = _session(sam)

    client.get(SETUP)
    client.get(SETUP)  # a reload shows the same key: one event

    events = SignInEvent.objects.filter(user=sam, kind="mfa_setup_started")
    assert events.count() == 1


def test_a_pending_key_is_not_in_the_database_in_clear(sam) -> None:
    client = _session(sam)

    key = key_from_page(client.get(SETUP).content.decode())

    assert tables_holding(key.hex(), b32encode(key).decode()) == []
