"""credential_verify with stand-in clients: it reports, it never raises, it never leaks the key.

The same use case against the real sandbox over HTTP is in test_credential_test_page.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from customers_ui import credential_services, upstream

from .conftest import SECRET_KEY_ALICE

pytestmark = pytest.mark.django_db

errors = pytest.importorskip("customers_ui.thredfi.errors")


@dataclass
class FakeBusiness:
    id: str
    legal_name: str
    country: str = "GB"
    currency: str = "GBP"
    entity_type: str = "ltd"
    is_active: bool = True


class ListingClient:
    def __init__(self, businesses):
        self.businesses = businesses
        self.calls: list[str] = []

    def list_businesses(self):
        self.calls.append("list_businesses")
        return self.businesses


class VerifyingClient(ListingClient):
    def __init__(self, businesses, answer):
        super().__init__(businesses)
        self.answer = answer

    def verify(self):
        self.calls.append("verify")
        return self.answer


class FailingClient:
    def __init__(self, error):
        self.error = error

    def list_businesses(self):
        raise self.error


def _use(monkeypatch, client):
    monkeypatch.setattr(upstream, "thredfi_client", lambda credential: client)


def test_success_lists_businesses_and_records_the_time(alice, make_credential, monkeypatch):
    credential = make_credential(alice)
    client = ListingClient([FakeBusiness("b1", "Harbour & Finch Ltd")])
    _use(monkeypatch, client)

    result = credential_services.credential_verify(credential=credential)

    assert result.ok
    assert [b.legal_name for b in result.businesses] == ["Harbour & Finch Ltd"]
    credential.refresh_from_db()
    assert credential.last_verified_at is not None


def test_verify_is_preferred_when_it_returns_businesses(alice, make_credential, monkeypatch):
    credential = make_credential(alice)
    businesses = [FakeBusiness("b1", "One")]
    client = VerifyingClient(businesses, answer=businesses)
    _use(monkeypatch, client)

    result = credential_services.credential_verify(credential=credential)

    assert result.ok
    assert client.calls == ["verify"]


def test_verify_answering_true_still_lists_businesses(alice, make_credential, monkeypatch):
    credential = make_credential(alice)
    client = VerifyingClient([FakeBusiness("b1", "One")], answer=True)
    _use(monkeypatch, client)

    result = credential_services.credential_verify(credential=credential)

    assert result.ok
    assert client.calls == ["verify", "list_businesses"]
    assert result.businesses[0].legal_name == "One"


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (errors.AuthenticationFailed("bad key", status=401, request_id="req_auth_1"), "refused"),
        (errors.UpstreamTimeout(request_id="req_slow_2"), "too long"),
        (errors.UpstreamUnreachable(), "could not be reached"),
        (errors.UpstreamError("boom", status=500, request_id="req_500_3"), "problem"),
        (errors.RateLimited(status=429, retry_after=7, request_id="req_429_4"), "limiting"),
    ],
)
def test_failures_come_back_in_plain_words(alice, make_credential, monkeypatch, error, words):
    credential = make_credential(alice)
    _use(monkeypatch, FailingClient(error))

    result = credential_services.credential_verify(credential=credential)

    assert not result.ok
    assert words in result.title
    assert result.request_id == error.request_id
    assert SECRET_KEY_ALICE not in repr(result)
    credential.refresh_from_db()
    assert credential.last_verified_at is None


def test_an_unreadable_stored_key_is_reported_not_raised(alice, make_credential):
    credential = make_credential(alice)

    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
        result = credential_services.credential_verify(credential=credential)

    assert not result.ok
    assert "can't be read" in result.title
