"""Fixtures of the credentials tests: two users, a way to store credentials, a logged-in client."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from customers_ui import credential_services
from customers_ui.models import PartnerCredential

# Distinctive, so a leak anywhere in a page is unmistakable.
SECRET_KEY_ALICE = "thredfi_live_ALICE_s3cr3t_Qx7Zp2Lm9b4d"
SECRET_KEY_BOB = "thredfi_live_BOB_s3cr3t_Wv5Ty8Kn3c7e"
PARTNER_UUID = uuid.UUID("11111111-2222-4333-8444-555555555555")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Production-strength hashing costs ~0.4 s per user; these tests are not about passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_user("alice", password="correct horse battery")


@pytest.fixture
def bob(db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_user("bob", password="another long passphrase")


@pytest.fixture
def make_credential() -> Callable[..., PartnerCredential]:
    def make(
        owner: AbstractBaseUser,
        label: str = "Production",
        api_key: str = SECRET_KEY_ALICE,
        partner_uuid: uuid.UUID = PARTNER_UUID,
        make_default: bool = False,
    ) -> PartnerCredential:
        return credential_services.credential_create(
            owner=owner,
            label=label,
            partner_uuid=partner_uuid,
            api_key=api_key,
            make_default=make_default,
        )

    return make


@pytest.fixture
def alice_client(alice: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(alice)
    return client
