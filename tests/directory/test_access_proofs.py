"""Issue #20 L7: directory access proofs are bound to their credential and expire.

A proof opens a partner's whole business directory without a call to Thredfi. It must not be
movable to another credential's key (a wrong key of the same partner would then see the
directory), nor stay fresh for ever (a proof dated in the future by a fast clock, or one a cache
kept past its timeout).
"""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from customers_ui.directory import access
from customers_ui.upstream.caching import clear_local_copies, credential_cache_identity
from sandbox.demo import BIG_PARTNER_UUID
from tests.factories import make_credential

pytestmark = pytest.mark.django_db

WRONG_KEY = "thredfi_sandbox_big_key_WRONG_000000"


def test_a_proof_copied_to_another_credential_opens_nothing(
    big_client, big_credential, bob, client
) -> None:
    big_client.get("/")  # Alice's working key earns a proof and fills the directory
    wrong = make_credential(bob, "Big", api_key=WRONG_KEY, partner_uuid=BIG_PARTNER_UUID)
    prefix = access._proofs.prefix
    alices = cache.get(f"{prefix}:{credential_cache_identity(big_credential)}")
    assert alices is not None
    cache.set(f"{prefix}:{credential_cache_identity(wrong)}", alices, timeout=600)
    clear_local_copies()

    assert access.access_proof_age(credential=wrong) is None
    client.force_login(bob)
    search = client.get("/businesses/", {"q": "zephyr"})
    assert search.status_code == 403
    assert "Zephyr" not in search.text


def test_a_proof_dated_in_the_future_is_not_fresh_for_ever(big_credential) -> None:
    access._proofs.set(
        credential_cache_identity(big_credential),
        {"holder": access._holder(big_credential), "at": time.time() + 10**9},
        timeout=600,
    )
    assert access.access_proof_age(credential=big_credential) is None


def test_a_proof_expires_even_if_the_cache_keeps_it(big_credential, monkeypatch) -> None:
    now = time.time()
    monkeypatch.setattr(access, "clock", lambda: now)
    access.access_grant(credential=big_credential)
    assert access.access_proof_age(credential=big_credential) == 0.0

    monkeypatch.setattr(access, "clock", lambda: now + access.PROOF_KEPT_SECONDS + 1)
    assert access.access_proof_age(credential=big_credential) is None


def test_proofs_are_encrypted_so_nobody_can_plant_one(big_credential) -> None:
    access.access_grant(credential=big_credential)
    stored = cache.get(f"{access._proofs.prefix}:{credential_cache_identity(big_credential)}")
    assert isinstance(stored, str)
    assert str(BIG_PARTNER_UUID) not in stored
