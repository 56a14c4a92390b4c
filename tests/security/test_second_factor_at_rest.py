"""L8 (issue 20): TOTP seeds are encrypted with CREDENTIALS_ENCRYPTION_KEYS (and rotate with
`rotate_credentials_key`); recovery codes are stored hashed. A database dump or backup then
yields neither a way to make codes nor a code to type."""

from __future__ import annotations

import hashlib
from base64 import b32encode

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import Client

from tests.accounts.conftest import PASSWORD, code_for, codes_from_page, key_from_page
from tests.security.database_search import tables_holding

pytestmark = pytest.mark.django_db
SETUP = "/accounts/mfa/setup/"


@pytest.fixture
def sam(django_user_model):
    return django_user_model.objects.create_user("sam", password=PASSWORD)


def _enrol_through_the_page(user) -> tuple[bytes, list[str]]:
    client = Client()
    client.force_login(user)
    key = key_from_page(client.get(SETUP).content.decode())
    codes = codes_from_page(client.post(SETUP, {"code": code_for(key)}).content.decode())
    return key, codes


def _verify(code: str, *, recovery: bool = False) -> int:
    client = Client()
    client.post("/accounts/login/", {"username": "sam", "password": PASSWORD})
    field = "recovery_code" if recovery else "code"
    return client.post("/accounts/mfa/verify/", {field: code}).status_code


def test_neither_the_seed_nor_any_recovery_code_is_stored_in_clear(sam) -> None:
    key, codes = _enrol_through_the_page(sam)

    needles = [key.hex(), b32encode(key).decode(), *(code.replace(" ", "") for code in codes)]
    assert tables_holding(*needles) == []
    # ...and both still work.
    assert _verify(code_for(key, steps_ahead=1)) == 302
    assert _verify(codes[0], recovery=True) == 302
    assert _verify(codes[0], recovery=True) == 400  # used up


def test_recovery_codes_are_hashed_with_the_deployed_work_factor(monkeypatch) -> None:
    """The suite hashes recovery codes with 2 rounds (tests/conftest.py); servers do not."""
    from customers_ui.core import crypto

    monkeypatch.undo()  # the suite's fast hashing off: the module as deployed
    assert crypto.RECOVERY_CODE_HASH_ITERATIONS == 50_000
    deployed = hashlib.pbkdf2_hmac("sha256", b"k7q2-m9x4", b"a1b2c3", 50_000).hex()
    assert crypto.recovery_code_hash("k7q2-m9x4", salt="a1b2c3") == deployed


def test_rotating_the_key_re_encrypts_seeds(sam, settings) -> None:
    key, _ = _enrol_through_the_page(sam)
    old = settings.CREDENTIALS_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.CREDENTIALS_ENCRYPTION_KEYS = [new, old]

    call_command("rotate_credentials_key", verbosity=0)
    settings.CREDENTIALS_ENCRYPTION_KEYS = [new]  # the old key is gone

    assert _verify(code_for(key, steps_ahead=1)) == 302


def test_the_migration_moves_existing_factors_out_of_clear_text(sam) -> None:
    import importlib

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from customers_ui.models import AuthenticatorApp

    migration = importlib.import_module("customers_ui.migrations.0008_signin_hardening")
    old = TOTPDevice.objects.create(user=sam, name="Authenticator app", confirmed=True)
    TOTPDevice.objects.create(user=sam, name="pending, shared by sessions", confirmed=False)
    static = StaticDevice.objects.create(user=sam, name="Recovery codes", confirmed=True)
    tokens = [StaticToken.random_token() for _ in range(3)]
    for token in tokens:
        StaticToken.objects.create(device=static, token=token)
    key = old.bin_key

    migration.convert_second_factors(apps, None)

    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert [app.bin_key for app in AuthenticatorApp.objects.filter(user=sam)] == [key]
    assert tables_holding(key.hex(), b32encode(key).decode(), *tokens) == []
    assert _verify(code_for(key)) == 302
    assert _verify(tokens[1], recovery=True) == 302


def test_a_seed_the_keys_cannot_read_is_a_clear_page_not_a_500(sam, settings) -> None:
    key, codes = _enrol_through_the_page(sam)
    settings.CREDENTIALS_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # old key dropped
    client = Client(raise_request_exception=False)
    client.post("/accounts/login/", {"username": "sam", "password": PASSWORD})

    response = client.post("/accounts/mfa/verify/", {"code": code_for(key, steps_ahead=1)})

    assert response.status_code == 503
    assert "ask an administrator to reset" in response.content.decode()
    # Recovery codes are hashes, not encrypted: they still get the owner in.
    assert client.post("/accounts/mfa/verify/", {"recovery_code": codes[0]}).status_code == 302
