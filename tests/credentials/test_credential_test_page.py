"""The "Test" button against the sandbox over real HTTP: the real client, tokens and errors."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

demo = pytest.importorskip("sandbox.demo")

REQUEST_ID = re.compile(r"Thredfi request ID: <code>(req_[0-9a-f]+)</code>")


@pytest.fixture
def demo_credential(alice, make_credential, thredfi_sandbox):
    return make_credential(
        alice, "Sandbox", api_key=demo.DEMO_API_KEY, partner_uuid=demo.DEMO_PARTNER_UUID
    )


def test_a_good_key_lists_the_partners_businesses(alice_client, demo_credential):
    response = alice_client.post(reverse("customers_ui:credential_test", args=[demo_credential.pk]))

    page = response.text
    assert response.status_code == 200
    assert "“Sandbox” is accepted by Thredfi" in page
    assert "Harbour &amp; Finch Ltd" in page
    assert "GBP" in page
    assert "Müller Holzbau GmbH" in page
    assert "EUR" in page
    assert demo.DEMO_API_KEY not in page
    demo_credential.refresh_from_db()
    assert demo_credential.last_verified_at is not None


def test_the_list_then_shows_when_it_was_tested(alice_client, demo_credential):
    alice_client.post(reverse("customers_ui:credential_test", args=[demo_credential.pk]))

    page = alice_client.get(reverse("customers_ui:credential_list")).text

    assert "Never" not in page
    assert "<time datetime=" in page


def test_a_wrong_key_is_explained_with_the_request_id(alice, alice_client, demo_credential):
    wrong_key = "thredfi_sandbox_WRONG_key_000000000000"
    from customers_ui.credentials import services as credential_services

    credential_services.credential_replace_key(credential=demo_credential, api_key=wrong_key)

    response = alice_client.post(reverse("customers_ui:credential_test", args=[demo_credential.pk]))

    page = response.text
    assert response.status_code == 200  # the page is the report of the check
    assert "Failed" in page
    assert "Thredfi refused your credentials" in page
    assert "Check the partner UUID" in page
    assert REQUEST_ID.search(page), "the upstream request id is shown for escalation"
    assert wrong_key not in page
    assert demo.DEMO_API_KEY not in page
    assert reverse("customers_ui:credential_key", args=[demo_credential.pk]) in page
    demo_credential.refresh_from_db()
    assert demo_credential.last_verified_at is None


def test_an_unreachable_thredfi_is_explained(alice_client, demo_credential, settings):
    settings.THREDFI_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens

    response = alice_client.post(reverse("customers_ui:credential_test", args=[demo_credential.pk]))

    assert response.status_code == 200
    assert "Thredfi could not be reached" in response.text
    assert demo.DEMO_API_KEY not in response.text
