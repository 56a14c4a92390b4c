"""A key that HTTP Basic cannot carry is refused where it is typed, and one stored before that rule
existed shows the credential problem page: never a 500, never a piece of the key in a log."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from customers_ui.models import PartnerCredential
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID, DEMO_PARTNER_UUID

from .conftest import PARTNER_UUID

pytestmark = pytest.mark.django_db

# Latin-1 can't carry the Cyrillic or the emoji; the é would be mangled by some clients.
UNSENDABLE = ["clé-secrète-0123456789", "ключ_апи_0123456789", "thredfi_key_0123🔑"]


@pytest.mark.parametrize("api_key", UNSENDABLE)
def test_the_form_refuses_it_with_a_clear_message(alice_client, api_key):
    response = alice_client.post(
        "/credentials/new/",
        {"label": "Bad", "partner_uuid": str(PARTNER_UUID), "api_key": api_key},
    )
    assert response.status_code == 400
    assert "cannot be sent to Thredfi" in response.text
    assert api_key not in response.text
    assert not PartnerCredential.objects.exists()


@pytest.mark.parametrize("api_key", UNSENDABLE)
def test_the_command_refuses_it_too(alice, api_key):
    with pytest.raises(CommandError, match="cannot be sent to Thredfi") as caught:
        call_command(
            "store_partner_credentials",
            "alice",
            "--partner-uuid",
            str(PARTNER_UUID),
            stdin=io.StringIO(api_key + "\n"),
            stdout=io.StringIO(),
        )
    assert api_key not in str(caught.value)
    assert not PartnerCredential.objects.exists()


def test_a_stored_unusable_key_gets_the_credential_page_not_a_500(alice, thredfi_sandbox, caplog):
    legacy = PartnerCredential(owner=alice, label="Legacy", partner_uuid=DEMO_PARTNER_UUID)
    legacy.set_api_key("ключ_апи_0123456789")  # stored before keys were checked
    legacy.is_default = True
    legacy.save()
    client = Client(raise_request_exception=False)
    client.force_login(alice)

    with caplog.at_level(logging.DEBUG):
        response = client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")

    assert response.status_code == 403
    assert "Your stored API key can&#x27;t be used" in response.text
    assert "Check your credentials" in response.text
    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    for fragment in ("ключ", "апи", "0123456789"):
        assert fragment not in logged
    assert thredfi_sandbox.stats()["partner_token_requests"] == 0
