"""Issue #20 L7: an encrypted cache value is bound to its key.

Someone who can write to the shared cache (a Redis shared with other software, a leaked Redis
password) cannot read or forge our encrypted values, but could *copy* one: another credential's
token under this credential's key would let a wrong or revoked API key read the partner's
customers with someone else's token. Each encrypted value names the key it was written for, and
a value found under any other key is a miss.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from customers_ui.models import PartnerCredential
from customers_ui.upstream.caching import TwoLevelCache, clear_local_copies, token_cache
from customers_ui.upstream.clients import thredfi_client
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID, DEMO_PARTNER_UUID
from tests.factories import make_credential

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
WRONG_KEY = "thredfi_sandbox_demo_key_WRONG_0000000"


def token_keys(credential) -> list[str]:
    client = thredfi_client(credential)
    return [client.partner_token_cache_key, client.business_token_cache_key(BUSINESS_GBP)]


@pytest.mark.django_db
def test_a_value_copied_under_another_key_is_a_miss() -> None:
    tokens = TwoLevelCache(prefix="binding-test")
    tokens.set("ours", {"access_token": "t-1", "fresh_until": 1e12}, timeout=60)
    cache.set("binding-test:theirs", cache.get("binding-test:ours"), timeout=60)
    clear_local_copies()

    assert tokens.get("theirs") is None
    assert tokens.get("ours") == {"access_token": "t-1", "fresh_until": 1e12}


def test_a_copied_token_does_not_let_a_wrong_key_read_customers(
    staff_client, client, bob, thredfi_sandbox
) -> None:
    """Ada's tokens, copied under Bob's credential (same partner, a wrong key): Bob's lookup
    must mint its own token, which Thredfi refuses, not ride on Ada's."""
    assert staff_client.get(DETAIL).status_code == 200
    ada_credential = PartnerCredential.objects.get(owner__username="ada")
    bob_credential = make_credential(
        bob, "Sandbox", api_key=WRONG_KEY, partner_uuid=DEMO_PARTNER_UUID
    )
    for ours, theirs in zip(token_keys(ada_credential), token_keys(bob_credential), strict=True):
        stored = cache.get(f"{token_cache.prefix}:{ours}")
        assert stored is not None
        cache.set(f"{token_cache.prefix}:{theirs}", stored, timeout=600)
    clear_local_copies()

    client.force_login(bob)
    response = client.get(DETAIL)

    assert response.status_code == 403
    assert DEMO_CUSTOMER_ID not in response.content.decode()
