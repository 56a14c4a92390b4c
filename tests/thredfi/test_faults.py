"""Every upstream failure becomes its own typed error, carrying Thredfi's request id."""

from __future__ import annotations

import socket
import time
import uuid

import pytest

from customers_ui.thredfi import (
    BadResponse,
    Conflict,
    InMemoryTokenCache,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServiceUnavailable,
    ThredfiClient,
    ThredfiError,
    Timeouts,
    UpstreamError,
    UpstreamTimeout,
    UpstreamUnreachable,
    ValidationFailed,
)
from sandbox import faults
from sandbox.demo import BUSINESS_GBP, BUSINESS_USD, DEMO_API_KEY, DEMO_PARTNER_UUID

from .conftest import HANG_SECONDS
from .helpers import route_count


@pytest.mark.parametrize(
    ("customer_id", "error_type", "status", "calls"),
    [
        (faults.NOT_FOUND, NotFound, 404, 1),
        (faults.FORBIDDEN, PermissionDenied, 403, 1),
        (faults.CONFLICT, Conflict, 409, 1),
        (faults.UNPROCESSABLE, ValidationFailed, 422, 1),
        (faults.BAD_REQUEST, ValidationFailed, 400, 1),
        (faults.RATE_LIMITED, RateLimited, 429, 1),
        (faults.SERVER_ERROR, UpstreamError, 500, 1),  # not retried: may not be transient
        (faults.BAD_GATEWAY, UpstreamError, 502, 3),  # retried twice
        (faults.UNAVAILABLE, ServiceUnavailable, 503, 3),
    ],
)
def test_error_statuses_map_to_types(api, client, customer_id, error_type, status, calls):
    with pytest.raises(error_type) as caught:
        client.get_customer(BUSINESS_GBP, customer_id)
    error = caught.value
    assert type(error) is error_type
    assert error.status == status
    assert error.request_id
    assert str(error).startswith(f"Request {error.request_id}: ")
    assert route_count(api, "get_customer") == calls


@pytest.mark.parametrize("customer_id", [faults.UNPROCESSABLE, faults.BAD_REQUEST])
def test_validation_errors_carry_field_errors(client, customer_id):
    with pytest.raises(ValidationFailed) as caught:
        client.get_customer(BUSINESS_GBP, customer_id)
    assert caught.value.field_errors
    assert isinstance(caught.value.field_errors, dict)


def test_conflict_is_an_upstream_error(client):
    with pytest.raises(UpstreamError):
        client.get_customer(BUSINESS_USD, faults.CONFLICT)


def test_long_retry_after_is_reported_not_waited(api, client, sleeps):
    with pytest.raises(RateLimited) as caught:
        client.get_customer(BUSINESS_GBP, faults.RATE_LIMITED)
    assert caught.value.retry_after == 30
    assert sleeps == []
    assert route_count(api, "get_customer") == 1


def test_short_retry_after_is_honoured_once(api, client, sleeps):
    customer = client.get_customer(BUSINESS_GBP, faults.RATE_LIMITED_ONCE)
    assert customer.id == uuid.UUID(faults.RATE_LIMITED_ONCE)
    assert sleeps == [1.0]
    assert route_count(api, "get_customer") == 2


def test_transient_unavailability_is_retried(api, client, sleeps):
    customer = client.get_customer(BUSINESS_GBP, faults.UNAVAILABLE_ONCE)
    assert customer.id == uuid.UUID(faults.UNAVAILABLE_ONCE)
    assert route_count(api, "get_customer") == 2
    assert len(sleeps) == 1
    assert 0.1 <= sleeps[0] <= 0.4


def test_retries_back_off_with_small_jittered_sleeps(api, client, sleeps):
    with pytest.raises(UpstreamError):
        client.get_customer(BUSINESS_GBP, faults.BAD_GATEWAY)
    assert len(sleeps) == 2
    assert all(0.1 <= s <= 0.4 for s in sleeps)


@pytest.mark.parametrize("customer_id", [faults.NON_JSON, faults.WRONG_SHAPE])
def test_unreadable_answers_are_bad_responses(client, customer_id):
    with pytest.raises(BadResponse) as caught:
        client.get_customer(BUSINESS_GBP, customer_id)
    assert caught.value.request_id


@pytest.mark.parametrize(
    ("customer_id", "reason"),
    [(faults.OVERSIZED, "too large (8"), (faults.OVERSIZED_CHUNKED, "too large (over 1048576")],
)
def test_oversized_answers_are_refused_without_reading_them_whole(make_client, customer_id, reason):
    client = make_client(max_body_bytes=1024 * 1024)
    started = time.monotonic()
    with pytest.raises(BadResponse) as caught:
        client.get_customer(BUSINESS_GBP, customer_id)
    assert time.monotonic() - started < 2.0
    assert reason in caught.value.message
    assert caught.value.request_id


def test_the_default_cap_refuses_eight_megabytes(client):
    with pytest.raises(BadResponse, match="too large"):
        client.get_customer(BUSINESS_GBP, faults.OVERSIZED_CHUNKED)


def test_a_hanging_upstream_times_out_within_the_bound(make_client):
    assert HANG_SECONDS >= 3
    client = make_client(timeouts=Timeouts(connect=0.5, read=0.5, total=1.5))
    client.list_businesses_page(1)  # tokens out of the way: measure the hang alone
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout):
        client.get_customer(BUSINESS_GBP, faults.HANG)
    assert time.monotonic() - started < 1.5 + 0.5


def test_the_overall_deadline_bounds_token_fetches_and_the_call(make_client):
    client = make_client(timeouts=Timeouts(connect=0.5, read=5.0, total=0.5))
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout):
        client.get_customer(BUSINESS_GBP, faults.HANG)
    assert time.monotonic() - started < 0.5 + 0.5


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_is_unreachable(sleeps):
    client = ThredfiClient(
        base_url=f"http://127.0.0.1:{_closed_port()}",
        partner_uuid=DEMO_PARTNER_UUID,
        api_key=DEMO_API_KEY,
        token_cache=InMemoryTokenCache(),
        user_agent="tests",
        sleep=sleeps.append,
    )
    started = time.monotonic()
    with pytest.raises(UpstreamUnreachable):
        client.get_customer(BUSINESS_GBP, faults.NOT_FOUND)
    assert time.monotonic() - started < 2.0
    assert len(sleeps) == 2  # connection errors retried twice, then given up


@pytest.mark.parametrize(
    "bad_id", ["", "not-a-uuid", "../businesses", "3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a0", 42, None]
)
def test_invalid_ids_are_refused_before_any_http(api, client, bad_id):
    with pytest.raises(ValueError):
        client.get_customer(BUSINESS_GBP, bad_id)
    with pytest.raises(ValueError):
        client.get_customer(bad_id, faults.NOT_FOUND)
    with pytest.raises(ValueError):
        client.search_customers(bad_id)
    with pytest.raises(ValueError):
        client.get_business(bad_id)
    assert api.stats()["total_requests"] == 0


def test_every_error_is_a_thredfi_error(client):
    for customer_id in (faults.NOT_FOUND, faults.NON_JSON, faults.SERVER_ERROR):
        with pytest.raises(ThredfiError):
            client.get_customer(BUSINESS_GBP, customer_id)
