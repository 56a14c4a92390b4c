"""Fixtures of the credentials tests: distinctive keys, the shared factory, a logged-in client."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from customers_ui.models import PartnerCredential
from tests import factories

# Distinctive, so a leak anywhere in a page is unmistakable.
SECRET_KEY_ALICE = "thredfi_live_ALICE_s3cr3t_Qx7Zp2Lm9b4d"
SECRET_KEY_BOB = "thredfi_live_BOB_s3cr3t_Wv5Ty8Kn3c7e"
PARTNER_UUID = uuid.UUID("11111111-2222-4333-8444-555555555555")


@pytest.fixture
def make_credential() -> Callable[..., PartnerCredential]:
    """The shared factory, with this suite's defaults: Alice's distinctive key and partner."""

    def make(
        owner: AbstractBaseUser,
        label: str = "Production",
        api_key: str = SECRET_KEY_ALICE,
        partner_uuid: uuid.UUID = PARTNER_UUID,
        make_default: bool = False,
    ) -> PartnerCredential:
        return factories.make_credential(
            owner, label, api_key=api_key, partner_uuid=partner_uuid, make_default=make_default
        )

    return make


@pytest.fixture
def alice_client(alice: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(alice)
    return client
