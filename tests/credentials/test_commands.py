"""Operator commands: store a key from standard input, rotate the encryption key, seed the demo."""

from __future__ import annotations

import io
import uuid

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from customers_ui.core.crypto import decrypt_secret
from customers_ui.management import key_input
from customers_ui.management.commands import store_partner_credentials
from customers_ui.models import PartnerCredential

from .conftest import PARTNER_UUID, SECRET_KEY_ALICE, SECRET_KEY_BOB

pytestmark = pytest.mark.django_db


def store(*args: str, stdin: str) -> str:
    out = io.StringIO()
    call_command("store_partner_credentials", *args, stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


# store_partner_credentials


def test_store_reads_the_key_from_stdin(alice):
    output = store(
        "alice", "--partner-uuid", str(PARTNER_UUID), "--label", "EU", stdin=f"{SECRET_KEY_ALICE}\n"
    )

    credential = PartnerCredential.objects.get(owner=alice, label="EU")
    assert credential.get_api_key() == SECRET_KEY_ALICE
    assert credential.partner_uuid == PARTNER_UUID
    assert credential.is_default  # the first one
    assert f"Stored credential 'EU' for alice (key …{SECRET_KEY_ALICE[-4:]})" in output
    assert SECRET_KEY_ALICE not in output


def test_store_reads_only_the_first_line(alice):
    store("alice", "--partner-uuid", str(PARTNER_UUID), stdin=f"{SECRET_KEY_ALICE}\nsecond line\n")

    assert PartnerCredential.objects.get(owner=alice).get_api_key() == SECRET_KEY_ALICE


def test_store_with_an_existing_label_replaces_the_key(alice, make_credential):
    credential = make_credential(alice, "EU")
    version = credential.secret_version

    output = store(
        "alice", "--partner-uuid", str(PARTNER_UUID), "--label", "EU", stdin=SECRET_KEY_BOB
    )

    credential.refresh_from_db()
    assert credential.get_api_key() == SECRET_KEY_BOB
    assert credential.secret_version == version + 1
    assert PartnerCredential.objects.filter(owner=alice).count() == 1
    assert "replaced the previous key" in output


def test_store_with_default_moves_the_default(alice, make_credential):
    first = make_credential(alice, "First")

    store(
        "alice",
        "--partner-uuid",
        str(PARTNER_UUID),
        "--label",
        "Second",
        "--default",
        stdin=SECRET_KEY_BOB,
    )

    first.refresh_from_db()
    assert not first.is_default
    assert PartnerCredential.objects.get(owner=alice, label="Second").is_default


def test_store_refuses_a_label_of_another_partner(alice, make_credential):
    make_credential(alice, "EU")

    with pytest.raises(CommandError, match="belongs to partner"):
        store("alice", "--partner-uuid", str(uuid.uuid4()), "--label", "EU", stdin=SECRET_KEY_BOB)
    assert PartnerCredential.objects.get(owner=alice).get_api_key() == SECRET_KEY_ALICE


def test_store_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        store("nobody", "--partner-uuid", str(PARTNER_UUID), stdin=SECRET_KEY_ALICE)


def test_store_bad_uuid(alice):
    with pytest.raises(CommandError, match="is not a UUID"):
        store("alice", "--partner-uuid", "1234", stdin=SECRET_KEY_ALICE)


@pytest.mark.parametrize("stdin", ["", "\n", "   \n"])
def test_store_empty_key(alice, stdin):
    with pytest.raises(CommandError, match="No API key on standard input"):
        store("alice", "--partner-uuid", str(PARTNER_UUID), stdin=stdin)
    assert not PartnerCredential.objects.exists()


def test_store_invalid_key_is_refused_without_echoing_it(alice):
    with pytest.raises(CommandError) as excinfo:
        store("alice", "--partner-uuid", str(PARTNER_UUID), stdin="secret7\n")
    assert "too short" in str(excinfo.value)
    assert "secret7" not in str(excinfo.value)


def test_store_has_no_way_to_pass_the_key_as_an_argument(alice):
    parser = store_partner_credentials.Command().create_parser(
        "manage.py", "store_partner_credentials"
    )
    options = {o for action in parser._actions for o in action.option_strings}

    assert not any("key" in o for o in options)
    with pytest.raises(CommandError):
        call_command(
            "store_partner_credentials",
            "alice",
            "--partner-uuid",
            str(PARTNER_UUID),
            "--api-key",
            SECRET_KEY_ALICE,
            stdin=io.StringIO(""),
        )
    assert not PartnerCredential.objects.exists()


def test_store_prompts_without_echo_on_a_terminal(alice, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(key_input.getpass, "getpass", lambda prompt: SECRET_KEY_ALICE)
    call_command(
        "store_partner_credentials",
        "alice",
        "--partner-uuid",
        str(PARTNER_UUID),
        stdin=Terminal(),
        stdout=io.StringIO(),
    )

    assert PartnerCredential.objects.get(owner=alice).get_api_key() == SECRET_KEY_ALICE


# rotate_credentials_key

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
STRANGER_KEY = Fernet.generate_key().decode()


def _rotate() -> str:
    out = io.StringIO()
    call_command("rotate_credentials_key", stdout=out)
    return out.getvalue()


def test_rotate_reencrypts_every_key_with_the_new_key(alice, bob, make_credential):
    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[OLD_KEY]):
        make_credential(alice, "A", api_key=SECRET_KEY_ALICE)
        make_credential(bob, "B", api_key=SECRET_KEY_BOB)

    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        output = _rotate()
        assert "Re-encrypted 2 of 2 credential(s)" in output
        for credential in PartnerCredential.objects.all():
            assert credential.get_api_key() in {SECRET_KEY_ALICE, SECRET_KEY_BOB}

    # The old key can now be dropped: the new one alone reads everything.
    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[NEW_KEY]):
        keys = {c.get_api_key() for c in PartnerCredential.objects.all()}
    assert keys == {SECRET_KEY_ALICE, SECRET_KEY_BOB}
    for credential in PartnerCredential.objects.all():
        with pytest.raises(InvalidToken):
            Fernet(OLD_KEY.encode()).decrypt(credential.api_key_encrypted.encode())


def test_rotate_with_keys_that_cannot_read_a_row_changes_nothing(alice, bob, make_credential):
    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[OLD_KEY]):
        readable = make_credential(alice, "A")
    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[STRANGER_KEY]):
        unreadable = make_credential(bob, "B", api_key=SECRET_KEY_BOB)
    before = dict(PartnerCredential.objects.values_list("pk", "api_key_encrypted"))

    with (
        override_settings(CREDENTIALS_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]),
        pytest.raises(CommandError) as excinfo,
    ):
        _rotate()

    message = str(excinfo.value)
    assert f"ids: {unreadable.pk}" in message
    assert "Nothing was changed" in message
    assert str(readable.pk) not in message.split("ids:")[1]
    assert OLD_KEY not in message and NEW_KEY not in message
    assert dict(PartnerCredential.objects.values_list("pk", "api_key_encrypted")) == before


def test_rotate_with_nothing_stored(db):
    assert "Re-encrypted 0 of 0 credential(s)" in _rotate()


# generate_encryption_key


def test_generate_encryption_key_prints_a_usable_fernet_key():
    out = io.StringIO()
    call_command("generate_encryption_key", stdout=out)
    key = out.getvalue().strip()

    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[key]):
        from customers_ui.core.crypto import encrypt_secret

        assert decrypt_secret(encrypt_secret("x")) == "x"


# seed_demo


@pytest.fixture
def demo_constants():
    return pytest.importorskip("sandbox.demo")


def _seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@override_settings(DEBUG=True)
def test_seed_demo_is_idempotent(demo_constants, django_user_model):
    first = _seed()
    second = _seed()

    user = django_user_model.objects.get(username="demo")
    assert user.check_password("demo")
    credential = PartnerCredential.objects.get(owner=user)
    assert credential.label == "Sandbox demo partner"
    assert credential.is_default
    assert str(credential.partner_uuid) == demo_constants.DEMO_PARTNER_UUID
    assert credential.get_api_key() == demo_constants.DEMO_API_KEY
    assert "Log in at http://127.0.0.1:8000/ as demo / demo" in first
    assert "Log in at http://127.0.0.1:8000/ as demo / demo" in second
    assert demo_constants.DEMO_API_KEY not in first + second


@override_settings(DEBUG=True)
def test_seed_demo_keeps_a_changed_password(demo_constants, django_user_model):
    _seed()
    user = django_user_model.objects.get(username="demo")
    user.set_password("changed by the developer")
    user.save()

    output = _seed()

    user.refresh_from_db()
    assert user.check_password("changed by the developer")
    assert "demo / demo" not in output


def test_seed_demo_refuses_to_run_in_production(db):
    with pytest.raises(CommandError, match="only runs with DEBUG=True"):
        _seed()
    assert not PartnerCredential.objects.exists()
