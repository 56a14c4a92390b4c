"""The one place tests make users and credentials, so every suite meets the same cast."""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from customers_ui.credentials.services import credential_create
from customers_ui.models import PartnerCredential
from sandbox.demo import DEMO_API_KEY, DEMO_PARTNER_UUID

# Who's who (passwords are long enough for the validators):
CAST = {
    "ada": "a-long-test-password-1",  # a support user with the sandbox's demo credential
    "alice": "correct horse battery",  # credential owners whose keys must never leak...
    "bob": "another long passphrase",  # ...to each other
}


def make_user(username: str, **fields: object) -> AbstractBaseUser:
    return get_user_model().objects.create_user(username, password=CAST[username], **fields)


def make_credential(
    owner: AbstractBaseUser,
    label: str = "Sandbox",
    *,
    api_key: str = DEMO_API_KEY,
    partner_uuid: uuid.UUID | str = DEMO_PARTNER_UUID,
    make_default: bool = False,
) -> PartnerCredential:
    """A stored credential, made the way users make them (the first one is the default).

    By default it is the sandbox's demo partner, so lookups with it work against the sandbox.
    """
    return credential_create(
        owner=owner,
        label=label,
        partner_uuid=partner_uuid,
        api_key=api_key,
        make_default=make_default,
    )
