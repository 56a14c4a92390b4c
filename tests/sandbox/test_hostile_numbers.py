"""Hostile numbers, sizes and request ids: the HUGE_* / *_METADATA / HOSTILE_REQUEST_ID faults."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from sandbox import faults
from sandbox.demo import BUSINESS_EUR, BUSINESS_GBP
from sandbox.hostile_payloads import HUGE_FILE_DOCUMENTS, deep_object

MAX_BODY = 5 * 1024 * 1024


def _detail(api, business_tokens, customer_id: str, business_id: str = BUSINESS_GBP):
    response = api.customer(business_id, customer_id, business_tokens[business_id], timeout=10)
    assert len(response.content) < MAX_BODY
    return response


def _valid_identity(body: dict[str, Any], customer_id: str) -> None:
    """The rest of the record stays a customer: the hostile field is the only trap."""
    assert body["id"] == customer_id
    assert body["type"] == "CustomerData"
    assert body["status"] in {"ACTIVE", "ARCHIVED"}
    assert isinstance(body["documents"], list)


def _max_depth(text: str) -> int:
    """Nesting depth of JSON text, without json.loads (which cannot go that deep)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped = not escaped and char == "\\"
            in_string = escaped or char != '"'
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "}]":
            depth -= 1
    return deepest


@pytest.fixture
def unlimited_int_digits() -> Iterator[None]:
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    yield
    sys.set_int_max_str_digits(previous)


def test_new_fault_ids_follow_the_pattern_and_are_listed() -> None:
    new = {
        "HUGE_EXPONENT",
        "HUGE_BALANCE",
        "HUGE_FILE_SIZE",
        "HUGE_NUMBER_DIGITS",
        "DEEP_METADATA",
        "WIDE_METADATA",
        "HOSTILE_REQUEST_ID",
        "HOSTILE_REQUEST_ID_OK",
    }
    assert new <= set(faults.ALL)
    assert all(faults.ALL[name].startswith("0000fa17-0000-4000-8000-") for name in new)


def test_huge_exponent(api, business_tokens) -> None:
    body = _detail(api, business_tokens, faults.HUGE_EXPONENT).json()
    _valid_identity(body, faults.HUGE_EXPONENT)
    assert body["outstanding_balance"] == "1e999999999"
    assert body["credit_limit_cents"] == body["credit_limit"] == "9E+99999999999"


def test_huge_balance(api, business_tokens) -> None:
    response = _detail(api, business_tokens, faults.HUGE_BALANCE)
    body = response.json()
    _valid_identity(body, faults.HUGE_BALANCE)
    assert body["outstanding_balance"] == 10**30
    assert body["credit_limit_cents"] == body["credit_limit"] == -(10**30)
    assert b'"outstanding_balance":1000000000000000000000000000000,' in response.content


def test_huge_file_size(api, business_tokens) -> None:
    body = _detail(api, business_tokens, faults.HUGE_FILE_SIZE).json()
    _valid_identity(body, faults.HUGE_FILE_SIZE)
    sizes = [doc["file_size"] for doc in body["documents"]]
    assert sizes == ["1e400", 10**40, HUGE_FILE_DOCUMENTS[2].size]
    for doc in body["documents"]:  # the links still work; only the declared size lies
        download = api.http.get(doc["url"], timeout=5)
        assert download.status_code == 200
    assert len(download.content) == sizes[2]


def test_huge_number_digits(api, business_tokens, unlimited_int_digits) -> None:
    response = _detail(api, business_tokens, faults.HUGE_NUMBER_DIGITS)
    assert b'"outstanding_balance":' + b"9" * 100_000 + b"," in response.content
    body = json.loads(response.content)  # only with the int-digit limit lifted
    _valid_identity(body, faults.HUGE_NUMBER_DIGITS)
    assert len(str(body["outstanding_balance"])) == 100_000
    assert body["credit_limit_cents"] == body["credit_limit"] == 10**99_999


def test_huge_number_digits_trips_the_default_int_limit(api, business_tokens) -> None:
    response = _detail(api, business_tokens, faults.HUGE_NUMBER_DIGITS)
    with pytest.raises(ValueError, match="digits"):
        json.loads(response.content)


def test_deep_metadata(api, business_tokens) -> None:
    response = _detail(api, business_tokens, faults.DEEP_METADATA)
    assert _max_depth(response.text) == 5_000 + 1  # the customer object holds the 5,000
    with pytest.raises(RecursionError):
        json.loads(response.content)
    assert '"id":"' + faults.DEEP_METADATA + '"' in response.text
    assert response.text.endswith(',"documents":[]}')


def test_deep_object_is_what_json_would_write() -> None:
    assert json.loads(deep_object(3)) == {
        "level": 1,
        "child": {"level": 2, "child": {"level": 3, "leaf": True}},
    }


def test_wide_metadata(api, business_tokens) -> None:
    response = _detail(api, business_tokens, faults.WIDE_METADATA)
    body = response.json()
    _valid_identity(body, faults.WIDE_METADATA)
    metadata = body["metadata"]
    assert len(metadata) >= 10_000
    assert len(json.dumps(metadata)) >= 1_000_000
    assert min(len(value) for value in metadata.values()) >= 40
    assert len(body["transaction_tags"]) == 10_000


def test_hostile_request_id_on_an_error(api, business_tokens) -> None:
    response = _detail(api, business_tokens, faults.HOSTILE_REQUEST_ID)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    header = response.headers["X-Request-ID"]
    assert header == faults.FORGED_REQUEST_ID_HEADER
    assert 10_000 <= len(header) <= 11_000
    assert "\x1b[" in header and "\x07" in header and "\x00" in header
    assert "\n" not in header and "\r" not in header
    body = response.json()
    assert body["error_code"] == "not_found"
    assert body["request_id"] == faults.FORGED_REQUEST_ID_BODY
    assert body["request_id"].startswith("abc\n2026-01-01 INFO forged line\x1b[31m")
    assert 10_000 <= len(body["request_id"]) <= 11_000


def test_hostile_request_id_on_a_normal_customer(api, business_tokens) -> None:
    response = _detail(api, business_tokens, faults.HOSTILE_REQUEST_ID_OK, BUSINESS_EUR)
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == faults.FORGED_REQUEST_ID_HEADER
    body = response.json()
    _valid_identity(body, faults.HOSTILE_REQUEST_ID_OK)
    assert body["request_id"] == faults.FORGED_REQUEST_ID_BODY
    assert body["display_name"]


def test_huge_pages_list_fault(api, business_tokens) -> None:
    token = business_tokens[BUSINESS_GBP]
    normal = api.customers(BUSINESS_GBP, token).json()
    body = api.customers(BUSINESS_GBP, token, search=faults.LIST_HUGE_PAGES).json()

    assert body["count"] == body["page_info"]["total_count"] == 10**31
    assert body["page_info"]["total_pages"] == 10**29
    assert body["page_info"]["current_page"] == 1
    assert body["results"] == normal["results"]  # a normal first page

    far = api.customers(BUSINESS_GBP, token, search=faults.LIST_HUGE_PAGES, page=10**29).json()
    assert far["page_info"]["current_page"] == 10**29
    beyond = api.customers(BUSINESS_GBP, token, search=faults.LIST_HUGE_PAGES, page=10**29 + 1)
    assert beyond.status_code == 404


def test_hostile_rows_list_fault(api, business_tokens) -> None:
    token = business_tokens[BUSINESS_EUR]
    response = api.customers(BUSINESS_EUR, token, search=faults.LIST_HOSTILE_ROWS, timeout=10)
    body = response.json()

    assert body["count"] == 20 and len(body["results"]) == 20
    for row in body["results"]:
        assert row["type"] == "CustomerData" and row["status"] in {"ACTIVE", "ARCHIVED"}
        assert row["outstanding_balance"] == 10**30
        assert row["credit_limit_cents"] == row["credit_limit"] == "1e999999999"
        assert len(json.dumps(row["metadata"])) >= 90_000
        assert "documents" not in row
    assert len({row["id"] for row in body["results"]}) == 20

    paged = api.customers(BUSINESS_EUR, token, search=faults.LIST_HOSTILE_ROWS, page_size=5).json()
    assert paged["page_info"]["total_pages"] == 4
    assert [row["id"] for row in paged["results"]] == [row["id"] for row in body["results"][:5]]
