"""Every fault customer id answers exactly as documented in sandbox/faults.py."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests

from sandbox import faults
from sandbox.demo import BUSINESS_EUR, BUSINESS_GBP, BUSINESS_USD, DEMO_CUSTOMER_ID
from tests.sandbox.conftest import HANG_SECONDS, assert_error_envelope

ERROR_STATUSES = {
    faults.NOT_FOUND: 404,
    faults.FORBIDDEN: 403,
    faults.UNAUTHORIZED: 401,
    faults.CONFLICT: 409,
    faults.UNPROCESSABLE: 422,
    faults.BAD_REQUEST: 400,
    faults.RATE_LIMITED: 429,
    faults.SERVER_ERROR: 500,
    faults.BAD_GATEWAY: 502,
    faults.UNAVAILABLE: 503,
}


def test_fault_table_is_complete_and_unique() -> None:
    assert len(faults.ALL) == 28  # 20 original + 8 hostile-number/size ids
    assert len(set(faults.ALL.values())) == 28
    assert all(getattr(faults, name) == value for name, value in faults.ALL.items())


@pytest.mark.parametrize("business_id", [BUSINESS_GBP, BUSINESS_EUR, BUSINESS_USD])
@pytest.mark.parametrize("customer_id", list(ERROR_STATUSES), ids=faults.BY_ID.get)
def test_error_faults_under_every_business(api, business_tokens, business_id, customer_id):
    response = api.customer(business_id, customer_id, business_tokens[business_id])
    assert_error_envelope(response, ERROR_STATUSES[customer_id])


def test_field_errors_for_400_and_422(api, business_tokens) -> None:
    token = business_tokens[BUSINESS_GBP]
    for customer_id, status in ((faults.BAD_REQUEST, 400), (faults.UNPROCESSABLE, 422)):
        body = assert_error_envelope(api.customer(BUSINESS_GBP, customer_id, token), status)
        field_errors = body["detail"]["field_errors"]
        assert field_errors and all(isinstance(v, list) for v in field_errors.values())


def test_rate_limited_carries_retry_after_30(api, business_tokens) -> None:
    response = api.customer(BUSINESS_GBP, faults.RATE_LIMITED, business_tokens[BUSINESS_GBP])
    assert response.headers["Retry-After"] == "30"


def test_unauthorized_even_with_a_fresh_token(api) -> None:
    for _ in range(2):
        token = api.business_token(BUSINESS_GBP)
        assert_error_envelope(api.customer(BUSINESS_GBP, faults.UNAUTHORIZED, token), 401)
        assert api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token).status_code == 200


def test_faults_need_a_valid_token_first(api, business_tokens) -> None:
    assert_error_envelope(api.customer(BUSINESS_GBP, faults.SERVER_ERROR, "garbage"), 401)
    wrong_business = business_tokens[BUSINESS_EUR]
    assert_error_envelope(api.customer(BUSINESS_GBP, faults.SERVER_ERROR, wrong_business), 401)


@pytest.mark.parametrize(
    ("customer_id", "status", "retry_after"),
    [(faults.RATE_LIMITED_ONCE, 429, "1"), (faults.UNAVAILABLE_ONCE, 503, None)],
)
def test_alternating_faults(sbx, api, business_tokens, customer_id, status, retry_after) -> None:
    sbx.reset()
    token = business_tokens[BUSINESS_GBP]
    first, second, third, fourth = (
        api.customer(BUSINESS_GBP, customer_id, token) for _ in range(4)
    )
    assert_error_envelope(first, status)
    assert first.headers.get("Retry-After") == retry_after
    assert second.status_code == 200
    assert second.json()["id"] == customer_id
    assert second.json()["type"] == "CustomerData"
    assert isinstance(second.json()["documents"], list)
    assert third.status_code == status
    assert fourth.status_code == 200

    sbx.reset()
    assert api.customer(BUSINESS_GBP, customer_id, token).status_code == status


def test_hang_delays_the_answer_without_blocking_other_requests(api, business_tokens) -> None:
    token = business_tokens[BUSINESS_GBP]
    outcome: dict[str, object] = {}

    def hang() -> None:
        started = time.monotonic()
        response = requests.get(
            api.url(f"/v1/platform/businesses/{BUSINESS_GBP}/customers/{faults.HANG}/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=HANG_SECONDS + 5,
        )
        outcome.update(status=response.status_code, elapsed=time.monotonic() - started)

    hanging = threading.Thread(target=hang)
    hanging.start()
    time.sleep(0.1)
    with pytest.raises(requests.ReadTimeout):
        requests.get(
            api.url(f"/v1/platform/businesses/{BUSINESS_GBP}/customers/{faults.HANG}/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=0.3,
        )
    started = time.monotonic()
    assert api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token).status_code == 200
    assert time.monotonic() - started < 0.5
    hanging.join()
    assert outcome["status"] == 200
    assert HANG_SECONDS <= outcome["elapsed"] < HANG_SECONDS + 2


def test_non_json(api, business_tokens) -> None:
    response = api.customer(BUSINESS_GBP, faults.NON_JSON, business_tokens[BUSINESS_GBP])
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text.lstrip().startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError):
        response.json()


@pytest.mark.parametrize("customer_id", [faults.OVERSIZED, faults.OVERSIZED_CHUNKED])
def test_oversized(api, business_tokens, customer_id) -> None:
    response = api.customer(BUSINESS_GBP, customer_id, business_tokens[BUSINESS_GBP])
    assert response.status_code == 200
    assert len(response.content) > 8_000_000
    if customer_id == faults.OVERSIZED:
        assert int(response.headers["Content-Length"]) == len(response.content)
        assert "Transfer-Encoding" not in response.headers
    else:
        assert response.headers["Transfer-Encoding"] == "chunked"
        assert "Content-Length" not in response.headers
    body = response.json()
    assert body["id"] == customer_id
    assert body["type"] == "CustomerData"


def test_oversized_can_be_abandoned_midway(api, business_tokens) -> None:
    """Clients cap what they read and hang up; the server must shrug and keep serving."""
    token = business_tokens[BUSINESS_GBP]
    with requests.get(
        api.url(f"/v1/platform/businesses/{BUSINESS_GBP}/customers/{faults.OVERSIZED_CHUNKED}/"),
        headers={"Authorization": f"Bearer {token}"},
        stream=True,
        timeout=5,
    ) as response:
        assert len(response.raw.read(100_000)) == 100_000
    assert api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token).status_code == 200


def test_wrong_shape(api, business_tokens) -> None:
    response = api.customer(BUSINESS_GBP, faults.WRONG_SHAPE, business_tokens[BUSINESS_GBP])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == [1, 2, 3]


def test_hostile(api, business_tokens) -> None:
    response = api.customer(BUSINESS_GBP, faults.HOSTILE, business_tokens[BUSINESS_GBP])
    assert response.status_code == 200
    body = response.json()
    text_fields = [
        k for k, v in body.items() if isinstance(v, str) and k not in {"type", "id", "status"}
    ]
    for key in text_fields:
        if key in {"created_at", "updated_at"}:
            continue
        assert any(p in body[key] for p in faults.PAYLOADS), key
    assert body["email"].startswith("x@y.example<script>")
    assert len(body["notes"]) >= 1_000_000
    depth, node = 0, body["metadata"]
    while isinstance(node, dict) and "child" in node:
        depth, node = depth + 1, node["child"]
    assert depth == 199  # 200 nested objects
    tags = body["transaction_tags"]
    assert set(faults.PAYLOADS) <= {t for t in tags if isinstance(t, str)}
    assert {type(t).__name__ for t in tags} >= {"str", "int", "dict", "NoneType"}
    urls = [doc["url"] for doc in body["documents"]]
    assert "javascript:window.__pwned=1" in urls
    assert "data:text/html,<script>window.__pwned=1</script>" in urls
    valid = [u for u in urls if u.startswith(api.base_url)]
    assert len(valid) == 1
    assert api.http.get(valid[0], timeout=5).content.startswith(b"%PDF")


def test_all_nulls(api, business_tokens) -> None:
    body = api.customer(BUSINESS_GBP, faults.ALL_NULLS, business_tokens[BUSINESS_GBP]).json()
    assert body.pop("id") == faults.ALL_NULLS
    assert body.pop("type") == "CustomerData"
    assert body.pop("status") == "ACTIVE"
    assert {"documents", "metadata", "transaction_tags", "email"} <= set(body)
    assert set(body.values()) == {None}


def test_minimal(api, business_tokens) -> None:
    response = api.customer(BUSINESS_GBP, faults.MINIMAL, business_tokens[BUSINESS_GBP])
    assert json.loads(response.content) == {
        "id": faults.MINIMAL,
        "unexpected_field": {"x": 1},
        "another": [1],
    }


def test_fault_ids_behave_normally_in_list_and_search(api, business_tokens) -> None:
    body = api.customers(BUSINESS_GBP, business_tokens[BUSINESS_GBP], search="0000fa17").json()
    assert body["count"] == 0


@pytest.mark.processes
def test_fault_rate_fails_some_normal_calls_reproducibly(start_sandbox) -> None:
    def statuses(client) -> list[tuple[int, str]]:
        token = client.business_token(BUSINESS_GBP)
        out = []
        for _ in range(30):
            response = client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token)
            out.append((response.status_code, response.headers["Content-Type"].split(";")[0]))
        return out

    # Two fresh processes: the same seed must give the same faults.
    first = statuses(start_sandbox(fault_rate=0.5, own_process=True)[1])
    second = statuses(start_sandbox(fault_rate=0.5, own_process=True)[1])

    assert first == second  # seeded
    assert {status for status, _ in first} <= {200, 429, 500, 502, 503}
    assert (200, "application/json") in first
    failures = [s for s in first if s != (200, "application/json")]
    assert 5 <= len(failures) <= 25
