"""Only a credential Thredfi accepts opens its partner's directory: a wrong key, another partner
or a revoked key sees nothing of it, though the directory is shared by everyone whose key works."""

from __future__ import annotations

import pytest

from customers_ui.credentials.services import credential_replace_key
from customers_ui.directory import access
from customers_ui.models import BusinessDirectory
from sandbox.demo import BIG_API_KEY, BIG_PARTNER_UUID, BIG_ZEPHYR_BUSINESS_ID
from tests.factories import make_credential

pytestmark = pytest.mark.django_db

WRONG_KEY = "thredfi_sandbox_big_key_WRONG_000000"


@pytest.fixture
def filled(big_client):
    """Alice (a working key) has filled the big partner's directory."""
    big_client.get("/")
    assert BusinessDirectory.objects.get().known_count == 2_500


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


def test_a_wrong_key_for_the_same_partner_sees_no_directory(filled, bob, bob_client):
    make_credential(bob, "Big", api_key=WRONG_KEY, partner_uuid=BIG_PARTNER_UUID)

    home = bob_client.get("/")
    assert home.status_code == 200
    assert "Thredfi refused your credentials" in home.text
    assert "Zephyr" not in home.text
    assert 'id="id_business_q"' not in home.text

    search = bob_client.get("/businesses/", {"q": "zephyr"})
    assert search.status_code == 403
    assert "Zephyr Quarry Ltd" not in search.text
    assert bob_client.get("/businesses/", {"q": "zephyr", "format": "json"}).status_code == 403
    assert bob_client.get("/businesses/status/").status_code == 403


def test_a_working_key_of_the_same_partner_shares_the_directory(filled, bob, bob_client):
    make_credential(bob, "Big", api_key=BIG_API_KEY, partner_uuid=BIG_PARTNER_UUID)
    data = bob_client.get("/businesses/", {"q": "zephyr", "format": "json"}).json()
    assert [r["id"] for r in data["results"]] == [BIG_ZEPHYR_BUSINESS_ID]
    assert BusinessDirectory.objects.count() == 1  # one directory per partner, not per user


def test_another_partners_credential_sees_only_its_own_directory(filled, bob, bob_client):
    make_credential(bob)  # the demo partner
    data = bob_client.get("/businesses/", {"q": "zephyr", "format": "json"}).json()
    assert data["results"] == []
    html = bob_client.get("/").text
    assert "Harbour &amp; Finch Ltd" in html
    assert "Zephyr" not in html


def test_a_key_replaced_by_a_wrong_one_loses_access_at_once(big_client, big_credential, filled):
    credential_replace_key(credential=big_credential, api_key=WRONG_KEY)
    assert big_client.get("/businesses/", {"q": "zephyr"}).status_code == 403


def test_a_revoked_key_loses_access_when_its_proof_is_checked_again(
    big_client, big_credential, filled, directory_sandbox, monkeypatch
):
    """Thredfi stops accepting the key (it is revoked upstream): the next check closes the door."""
    monkeypatch.setattr(access, "PROOF_FRESH_SECONDS", 0)

    class Refusing:
        def list_businesses_page(self, *args, **kwargs):
            from customers_ui.thredfi import CredentialsRefused

            raise CredentialsRefused("refused", status=401, request_id="req_x")

    monkeypatch.setattr("customers_ui.directory.services.thredfi_client", lambda c: Refusing())
    assert big_client.get("/businesses/", {"q": "zephyr"}).status_code == 403
    assert access.access_proof_age(credential=big_credential) is None


def test_an_outage_does_not_lock_out_a_key_that_worked_recently(
    big_client, big_credential, filled, directory_sandbox, monkeypatch
):
    monkeypatch.setattr(access, "PROOF_FRESH_SECONDS", 0)
    directory_sandbox.set_outage("503")
    try:
        data = big_client.get("/businesses/", {"q": "zephyr", "format": "json"}).json()
    finally:
        directory_sandbox.set_outage("off")
    assert [r["id"] for r in data["results"]] == [BIG_ZEPHYR_BUSINESS_ID]


def test_without_any_proof_an_outage_shows_the_problem(big_client, directory_sandbox):
    directory_sandbox.set_outage("503")
    try:
        home = big_client.get("/")
        search = big_client.get("/businesses/", {"q": "zephyr"})
    finally:
        directory_sandbox.set_outage("off")
    assert "Thredfi" in home.text and 'id="id_business_q"' not in home.text
    assert search.status_code == 503


def test_the_access_check_is_one_small_call_at_most_every_few_minutes(
    big_client, filled, directory_sandbox
):
    directory_sandbox.reset()
    for _ in range(3):
        big_client.get("/")
        big_client.get("/businesses/", {"q": "a"})
    assert directory_sandbox.stats()["total_requests"] == 0
