"""A logged-in support user holding the sandbox's demo partner credential."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from customers_ui.models import PartnerCredential


def make_credential(user, *, label: str = "Sandbox", api_key: str | None = None, default=True):
    from sandbox.demo import DEMO_API_KEY, DEMO_PARTNER_UUID

    credential = PartnerCredential(
        owner=user, label=label, partner_uuid=DEMO_PARTNER_UUID, is_default=default
    )
    credential.set_api_key(api_key or DEMO_API_KEY)
    credential.save()
    return credential


@pytest.fixture
def support_user(db):
    return get_user_model().objects.create_user("ada", password="a-long-test-password-1")


@pytest.fixture
def credential(support_user):
    return make_credential(support_user)


@pytest.fixture
def staff_client(client, support_user, credential, thredfi_sandbox):
    client.force_login(support_user)
    return client
