"""credential_verify over real HTTP: it reports in the problem table's words, never raises, never
leaks the key. (The page around it is in test_credential_test_page.py.)"""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from customers_ui.credentials import services as credential_services
from sandbox import demo

from .conftest import SECRET_KEY_ALICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_credential(alice, make_credential, thredfi_sandbox):
    return make_credential(
        alice, "Sandbox", api_key=demo.DEMO_API_KEY, partner_uuid=demo.DEMO_PARTNER_UUID
    )


def test_success_lists_businesses_and_records_the_time(demo_credential, thredfi_sandbox):
    result = credential_services.credential_verify(credential=demo_credential)

    assert result.ok
    assert result.problem is None
    assert {b.legal_name for b in result.businesses} >= {"Harbour & Finch Ltd"}
    demo_credential.refresh_from_db()
    assert demo_credential.last_verified_at is not None


def test_a_cached_partner_token_does_not_hide_a_revoked_key(demo_credential, thredfi_sandbox):
    assert credential_services.credential_verify(credential=demo_credential).ok
    partner_tokens = thredfi_sandbox.stats()["partner_token_requests"]

    assert credential_services.credential_verify(credential=demo_credential).ok

    assert thredfi_sandbox.stats()["partner_token_requests"] == partner_tokens + 1


def test_a_refused_key_comes_back_in_plain_words(alice, make_credential, thredfi_sandbox):
    credential = make_credential(alice, partner_uuid=demo.DEMO_PARTNER_UUID)

    result = credential_services.credential_verify(credential=credential)

    assert not result.ok
    assert result.problem.title == "Thredfi refused your credentials"
    assert "Replace key" in result.problem.advice  # the advice fits the test page
    assert result.problem.request_id
    assert SECRET_KEY_ALICE not in repr(result)
    credential.refresh_from_db()
    assert credential.last_verified_at is None


def test_an_unreachable_thredfi_is_reported(alice, make_credential, settings):
    settings.THREDFI_BASE_URL = "http://127.0.0.1:9"
    credential = make_credential(alice)

    result = credential_services.credential_verify(credential=credential)

    assert result.problem.outcome == "unreachable"
    assert result.problem.title == "Thredfi could not be reached"


def test_an_unreadable_stored_key_is_reported_not_raised(alice, make_credential):
    credential = make_credential(alice)

    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
        result = credential_services.credential_verify(credential=credential)

    assert result.problem.outcome == "credential_unreadable"
    assert result.problem.fix_credentials
    credential.refresh_from_db()
    assert credential.last_verified_at is None
