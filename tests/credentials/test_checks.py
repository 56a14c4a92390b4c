"""The system check stops a deploy whose encryption keys can't work, without printing them."""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings

from customers_ui.checks import check_credentials_encryption_keys


def test_valid_keys_pass():
    keys = [Fernet.generate_key().decode(), Fernet.generate_key().decode()]

    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=keys):
        assert check_credentials_encryption_keys() == []


def test_a_malformed_key_is_an_error_that_does_not_show_it():
    secretish = "this-is-not-a-fernet-key-but-looks-secret"

    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[Fernet.generate_key().decode(), secretish]):
        messages = check_credentials_encryption_keys()

    assert [m.id for m in messages] == ["customers_ui.E002"]
    assert "generate_encryption_key" in messages[0].hint
    assert secretish not in messages[0].msg + messages[0].hint


def test_no_keys_is_an_error():
    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[]):
        messages = check_credentials_encryption_keys()

    assert [m.id for m in messages] == ["customers_ui.E001"]


def test_the_check_is_registered():
    import io

    import pytest
    from django.core.management.base import SystemCheckError

    with (
        override_settings(CREDENTIALS_ENCRYPTION_KEYS=["nope"]),
        pytest.raises(SystemCheckError) as excinfo,
    ):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    assert "customers_ui.E002" in str(excinfo.value)
