"""Cached tokens can never reach another partner's user: keys name the deployment and the
credential's random id, and values are encrypted JSON, never pickles."""

from __future__ import annotations

import json
import uuid

from django.core.cache import cache
from django.test import override_settings

from customers_ui.core.crypto import decrypt_secret
from customers_ui.lookup import services
from customers_ui.upstream.caching import (
    credential_cache_identity,
    deployment_namespace,
    token_cache,
)
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID


def test_a_restored_database_reusing_an_id_never_reuses_a_token(
    staff_client, credential, thredfi_sandbox
) -> None:
    staff_client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")
    first_tokens = thredfi_sandbox.stats()["partner_token_requests"]

    # Same database id and key version, but a different credential (a restored or other DB).
    credential.public_id = uuid.uuid4()
    credential.save(update_fields=["public_id"])
    staff_client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")

    assert thredfi_sandbox.stats()["partner_token_requests"] == first_tokens + 1


def test_two_deployments_sharing_a_redis_never_share_an_entry(credential) -> None:
    ours = credential_cache_identity(credential)
    with override_settings(SECRET_KEY="another-deployment-" + "x" * 50):
        theirs = credential_cache_identity(credential)
        assert deployment_namespace() not in ours
    assert ours != theirs
    namespace, credential_part, version = ours.split(":")
    assert namespace == deployment_namespace()
    assert credential_part == str(credential.public_id)  # the random id, never the sequential one
    assert version == str(credential.secret_version)


def test_tokens_are_stored_as_encrypted_json(staff_client, credential) -> None:
    staff_client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")
    keys = [k for k in _token_keys(credential)]
    assert keys, "expected cached tokens"
    for key in keys:
        stored = cache.get(key)
        assert isinstance(stored, str)
        assert "access_token" not in stored  # encrypted, not readable
        envelope = json.loads(decrypt_secret(stored))
        assert envelope["key"] == key  # bound to its key (tests/security/test_cache_binding.py)
        assert set(envelope["value"]) == {"access_token", "fresh_until"}


def test_a_value_that_is_not_ours_is_a_miss_not_code(credential) -> None:
    cache.set(f"{token_cache.prefix}:planted", b"\x80\x04\x95 not ours", timeout=60)
    assert token_cache.get("planted") is None


def _token_keys(credential) -> list[str]:
    identity = credential_cache_identity(credential)
    client = services.thredfi_client(credential)
    names = [client.partner_token_cache_key, client.business_token_cache_key(BUSINESS_GBP)]
    assert all(identity in name for name in names)
    return [f"{token_cache.prefix}:{name}" for name in names]
