"""Token lifecycle against the sandbox: cached, shared, refreshed, single-flight, refresh-once."""

from __future__ import annotations

import hashlib
import threading
import time
import uuid

import pytest

from customers_ui.thredfi import (
    AuthenticationFailed,
    CredentialsRefused,
    InMemoryTokenCache,
    ThredfiClient,
)
from customers_ui.thredfi.tokens import cache_key_prefix, refresh_margin
from sandbox.demo import (
    BUSINESS_EUR,
    BUSINESS_GBP,
    DEMO_API_KEY,
    DEMO_CUSTOMER_ID,
    DEMO_PARTNER_UUID,
)
from sandbox.faults import UNAUTHORIZED

from .helpers import route_count, token_requests


def _cached_tokens(cache: InMemoryTokenCache) -> list[str]:
    return [cache.get(key)["access_token"] for key in cache.live_keys()]


def test_tokens_are_cached_and_reused_across_calls(api, client):
    for _ in range(5):
        client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    client.search_customers(BUSINESS_GBP, "cobalt")
    assert token_requests(api) == (1, 1)
    assert route_count(api, "get_customer") == 5


def test_two_clients_sharing_a_cache_share_tokens(api, make_client):
    make_client().get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    make_client().get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    make_client().list_businesses_page(1)
    assert token_requests(api) == (1, 1)


def test_each_business_gets_its_own_scoped_token(api, client):
    client.search_customers(BUSINESS_GBP)
    client.search_customers(BUSINESS_EUR)
    client.search_customers(BUSINESS_GBP, page=2)
    assert token_requests(api) == (1, 2)


def test_tokens_are_refreshed_when_they_near_expiry(api, make_client):
    now = [1_000_000.0]

    def clock() -> float:
        return now[0]

    cache = InMemoryTokenCache(clock=clock)
    client = make_client(token_cache=cache, clock=clock)
    client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    margin = refresh_margin(3600)
    now[0] += 3600 - margin - 5  # still fresh
    client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    assert token_requests(api) == (1, 1)
    now[0] += 10  # inside the safety margin: refetch both before they expire upstream
    client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    assert token_requests(api) == (2, 2)


def test_refresh_margin_is_five_minutes_or_ten_percent():
    assert refresh_margin(3600) == 300
    assert refresh_margin(60) == pytest.approx(6)


def test_short_lived_tokens_are_refreshed_against_a_real_short_ttl(api):
    """A sandbox whose tokens live 2 s: the client must stop using them before they die.

    2.1 s pass on both clocks, the client's (injected) and the sandbox's (advanced through its
    control route), so the sandbox really refuses the old tokens: a client that kept them would
    take a 401 detour."""
    short = api
    short.configure(token_ttl=2)  # the shared sandbox, reset by the next test's `api`
    now = [time.time()]
    client = ThredfiClient(
        base_url=short.base_url,
        partner_uuid=DEMO_PARTNER_UUID,
        api_key=DEMO_API_KEY,
        token_cache=InMemoryTokenCache(clock=lambda: now[0]),
        user_agent="tests",
        clock=lambda: now[0],
    )
    client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    assert token_requests(short) == (1, 1)
    now[0] += 2.1
    short.advance_clock(2.1)
    client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    assert token_requests(short) == (2, 2)
    assert route_count(short, "get_customer") == 3  # no 401 detour: refreshed in time


def test_cache_keys_hold_no_secrets(client, token_cache):
    client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    keys = token_cache.live_keys()
    assert sorted(keys) == sorted(
        [client.partner_token_cache_key, client.business_token_cache_key(BUSINESS_GBP)]
    )
    tokens = _cached_tokens(token_cache)
    assert len(tokens) == 2
    for key in keys:
        assert key.startswith("thredfi:v1:")
        assert DEMO_API_KEY not in key
        assert hashlib.sha256(DEMO_API_KEY.encode()).hexdigest() not in key
        assert all(token not in key for token in tokens)


def test_distinct_credentials_get_distinct_cache_keys():
    base = {"base_url": "http://127.0.0.1:1", "partner_uuid": DEMO_PARTNER_UUID}
    keys = {
        cache_key_prefix(**base, api_key="key-one"),
        cache_key_prefix(**base, api_key="key-two"),
        cache_key_prefix(**{**base, "partner_uuid": BUSINESS_GBP}, api_key="key-one"),
        cache_key_prefix(**{**base, "base_url": "http://127.0.0.1:2"}, api_key="key-one"),
        cache_key_prefix(**base, api_key="key-one", cache_namespace="cred:1:1"),
        cache_key_prefix(**base, api_key="key-one", cache_namespace="cred:1:2"),
    }
    assert len(keys) == 6


def test_single_flight_twenty_threads_fetch_one_token_pair(api, make_client):
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def lookup() -> None:
        client = make_client()  # a client per "web request", one shared cache
        barrier.wait()
        try:
            client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=lookup) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert token_requests(api) == (1, 1)
    assert route_count(api, "get_customer") == 20


def test_revoked_tokens_are_replaced_once_and_the_call_succeeds(api, client):
    client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    api.revoke_tokens()
    customer = client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    assert customer.id == uuid.UUID(DEMO_CUSTOMER_ID)
    assert token_requests(api) == (2, 2)
    assert route_count(api, "get_customer") == 3


def test_revoked_partner_token_is_replaced_for_business_calls_too(api, client):
    client.list_businesses_page(1)  # only the partner token is cached
    api.revoke_tokens()
    client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)  # business token exchange gets the 401
    assert token_requests(api) == (2, 2)


def test_revoked_partner_token_is_replaced_for_partner_calls(api, client):
    client.list_businesses_page(1)
    api.revoke_tokens()
    assert len(client.list_businesses_page(1).results) == 3
    assert token_requests(api) == (2, 0)


def test_persistent_401_fails_after_exactly_one_retry(api, client):
    with pytest.raises(AuthenticationFailed) as caught:
        client.get_customer(BUSINESS_GBP, UNAUTHORIZED)
    assert not isinstance(caught.value, CredentialsRefused)
    assert caught.value.status == 401
    assert caught.value.request_id
    assert route_count(api, "get_customer") == 2
    assert token_requests(api) == (2, 2)


def test_wrong_api_key_is_refused_with_a_request_id(api, make_client):
    client = make_client(api_key="thredfi_sandbox_wrong_key")
    with pytest.raises(CredentialsRefused) as caught:
        client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    error = caught.value
    assert isinstance(error, AuthenticationFailed)
    assert error.status == 401
    assert error.request_id
    assert str(error).startswith(f"Request {error.request_id}: ")
    assert "thredfi_sandbox_wrong_key" not in str(error) + repr(error)
    assert token_requests(api) == (1, 0)  # no point retrying a refused key
    assert route_count(api, "get_customer") == 0


def test_verify_forces_a_fresh_partner_token(api, client):
    client.list_businesses_page(1)
    first_page = client.verify()
    assert len(first_page.results) == 3
    assert first_page.count == 3
    assert token_requests(api) == (2, 0)


def test_verify_with_a_wrong_key_raises(make_client):
    with pytest.raises(CredentialsRefused):
        make_client(api_key="nope").verify()


def test_the_key_is_asked_for_only_when_a_partner_token_is_minted(make_client):
    """A key kept encrypted by the caller is decrypted only when it is really needed."""
    asked: list[int] = []

    def api_key() -> str:
        asked.append(1)
        return DEMO_API_KEY

    for _ in range(3):  # three "web requests", one shared cache
        make_client(api_key=api_key, cache_namespace="credential-1:1").get_customer(
            BUSINESS_GBP, DEMO_CUSTOMER_ID
        )
    assert asked == [1]


def test_a_key_callable_needs_a_cache_namespace():
    with pytest.raises(ValueError, match="cache_namespace"):
        cache_key_prefix(
            base_url="http://127.0.0.1:1", partner_uuid=DEMO_PARTNER_UUID, api_key=lambda: "k"
        )
