"""The big demo partner: tens of thousands of businesses, paginated, resizable, with customers."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest

from sandbox import faults
from sandbox.__main__ import banner, parse_args
from sandbox.big_partner import BigPartner, business_id
from sandbox.demo import (
    BIG_API_KEY,
    BIG_PARTNER_DEFAULT_BUSINESSES,
    BIG_PARTNER_UUID,
    BIG_ZEPHYR_BUSINESS_ID,
    BIG_ZEPHYR_INDEX,
    BIG_ZEPHYR_NAME,
    BUSINESS_GBP,
)
from tests.sandbox.conftest import ApiClient, assert_error_envelope

FIELDS = {"id", "legal_name", "country", "currency", "entity_type", "is_active"}
CURRENCIES = {
    "GB": "GBP", "IE": "EUR", "US": "USD", "DE": "EUR", "AT": "EUR", "CH": "CHF", "FR": "EUR",
    "NL": "EUR", "ES": "EUR", "IT": "EUR", "PL": "PLN", "DK": "DKK", "SE": "SEK", "BR": "BRL",
    "JP": "JPY",
}  # fmt: skip
SUFFIXES = {"PL": "sp. z o.o.", "DK": "ApS", "BR": "Ltda", "NL": "B.V.", "DE": "GmbH", "SE": "AB"}


def big_partner_token(client: ApiClient) -> str:
    response = client.request_partner_token(BIG_PARTNER_UUID, BIG_API_KEY)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def big_business_token(client: ApiClient, business: str, partner_token: str) -> str:
    response = client.request_business_token(business, partner_token)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def list_page(client: ApiClient, token: str, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/platform/businesses/", token, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def big_token(api) -> str:
    return big_partner_token(api)


@pytest.fixture(scope="module")
def directory(api, big_token) -> list[dict[str, Any]]:
    """All 25,000 businesses of the shared sandbox, paged sequentially by next links."""
    rows: list[dict[str, Any]] = []
    url: str | None = api.url("/v1/platform/businesses/?page_size=100")
    headers = {"Authorization": f"Bearer {big_token}"}
    while url:
        body = api.http.get(url, headers=headers, timeout=10).json()
        rows += body["results"]
        url = body["next"]
    return rows


# -- listing ---------------------------------------------------------------------------------


def test_list_paginates_like_the_real_endpoint(api, big_token) -> None:
    first = list_page(api, big_token)
    assert first["count"] == BIG_PARTNER_DEFAULT_BUSINESSES == 25_000
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"] == f"{api.base_url}/v1/platform/businesses/?page=2&page_size=20"
    assert all(set(row) == FIELDS for row in first["results"])

    clamped = list_page(api, big_token, page_size=1000, page=2)
    assert len(clamped["results"]) == 100
    assert clamped["previous"] == f"{api.base_url}/v1/platform/businesses/?page=1&page_size=100"

    last = list_page(api, big_token, page_size=100, page=250)
    assert len(last["results"]) == 100 and last["next"] is None
    assert_error_envelope(
        api.get("/v1/platform/businesses/", big_token, params={"page": 1251}), 404
    )
    page_seven = list_page(api, big_token, page=7)["results"]
    assert list_page(api, big_token, page=7)["results"] == page_seven  # stable order


def test_whole_directory_is_unique_varied_and_consistent(directory) -> None:
    assert len(directory) == 25_000
    assert len({row["id"] for row in directory}) == 25_000
    names = [row["legal_name"] for row in directory]
    assert len(set(names)) == 25_000
    assert names.count(BIG_ZEPHYR_NAME) == 1
    assert directory[BIG_ZEPHYR_INDEX]["id"] == BIG_ZEPHYR_BUSINESS_ID
    assert directory[BIG_ZEPHYR_INDEX]["legal_name"] == BIG_ZEPHYR_NAME

    countries = Counter(row["country"] for row in directory)
    assert set(countries) == set(CURRENCIES) and min(countries.values()) > 300
    assert all(row["currency"] == CURRENCIES[row["country"]] for row in directory)
    non_ascii = sum(not name.isascii() for name in names) / len(names)
    assert 0.2 < non_ascii < 0.6
    inactive = sum(not row["is_active"] for row in directory) / len(directory)
    assert 0.02 < inactive < 0.04
    for country, suffix in SUFFIXES.items():  # legal suffixes belong to the country
        assert any(
            row["legal_name"].endswith(suffix) for row in directory if row["country"] == country
        )
        assert not any(
            row["legal_name"].endswith(" " + suffix)
            for row in directory
            if row["country"] not in (country, "AT", "CH") and suffix != "AB"
        )
    assert len({row["entity_type"] for row in directory}) > 20
    for fragment in ("ø", "ł", "ü", "ã", "é", "株式会社", "Nguyễn"):
        assert any(fragment in name for name in names), fragment


def test_get_one_big_business_and_ownership(api, big_token) -> None:
    response = api.get(f"/v1/platform/businesses/{BIG_ZEPHYR_BUSINESS_ID}/", big_token)
    assert response.status_code == 200
    assert response.json() == {
        "id": BIG_ZEPHYR_BUSINESS_ID,
        "legal_name": "Zephyr Quarry Ltd",
        "country": "GB",
        "currency": "GBP",
        "entity_type": "limited_company",
        "is_active": True,
    }
    # Each partner sees only its own businesses.
    demo_token = api.partner_token()
    assert_error_envelope(
        api.get(f"/v1/platform/businesses/{BIG_ZEPHYR_BUSINESS_ID}/", demo_token), 404
    )
    assert_error_envelope(api.get(f"/v1/platform/businesses/{BUSINESS_GBP}/", big_token), 404)
    assert_error_envelope(api.request_business_token(BUSINESS_GBP, big_token), 404)
    assert_error_envelope(api.request_business_token(BIG_ZEPHYR_BUSINESS_ID, demo_token), 404)
    assert list_page(api, demo_token)["count"] == 3
    wrong_key = api.request_partner_token(BIG_PARTNER_UUID, "thredfi_sandbox_demo_key_2f8a6c1e9b4d")
    assert_error_envelope(wrong_key, 401)


# -- customers of a big-partner business ----------------------------------------------------


def test_big_business_customers_list_detail_and_documents(api, big_token, directory) -> None:
    business = directory[777]["id"]
    token = big_business_token(api, business, big_token)
    body = api.customers(business, token, page_size=100).json()
    assert 3 <= body["count"] <= 8 and len(body["results"]) == body["count"]
    keys = [(row["display_name"].casefold(), row["id"]) for row in body["results"]]
    assert keys == sorted(keys)
    assert api.customers(business, token, page_size=100).json() == body  # deterministic

    documents = []
    for row in body["results"]:
        detail = api.customer(business, row["id"], token)
        assert detail.status_code == 200
        assert {k: v for k, v in detail.json().items() if k != "documents"} == row
        documents += detail.json()["documents"]
    for doc in documents:
        download = api.http.get(doc["url"], timeout=5)
        assert download.status_code == 200 and len(download.content) == doc["file_size"]

    search = row["display_name"][:5]
    hits = api.customers(business, token, search=search).json()["results"]
    assert row["id"] in {hit["id"] for hit in hits}
    assert_error_envelope(
        api.customer(business, "99999999-9999-4999-8999-999999999999", token), 404
    )
    # A big-partner business token is scoped to its business like any other.
    assert_error_envelope(api.customers(directory[778]["id"], token), 401)
    assert_error_envelope(api.customers(business, big_token), 403)


def test_big_business_customers_match_the_contract(api, big_token, directory) -> None:
    from tests.sandbox.test_contract import SPEC_PATH, check_nulls, row_validator, validate_detail

    if not SPEC_PATH.exists():
        pytest.skip(f"contract not found: {SPEC_PATH}")
    for index in (0, 4321, BIG_ZEPHYR_INDEX, 24_999):
        business = directory[index]["id"]
        token = big_business_token(api, business, big_token)
        for row in api.customers(business, token).json()["results"]:
            row_validator().validate(row)
            check_nulls(row)
            detail = api.customer(business, row["id"], token)
            validate_detail(detail)


def test_fault_ids_work_under_big_partner_businesses(api, big_token, directory) -> None:
    japanese = next(row["id"] for row in directory if row["currency"] == "JPY")
    token = big_business_token(api, japanese, big_token)
    assert_error_envelope(api.customer(japanese, faults.SERVER_ERROR, token), 500)
    body = api.customer(japanese, faults.HUGE_BALANCE, token).json()
    assert body["outstanding_balance"] == 10**30
    hostile = api.customers(japanese, token, search=faults.LIST_HUGE_PAGES).json()
    assert hostile["page_info"]["total_pages"] == 10**29


# -- resizing: businesses that disappear upstream ---------------------------------------------


@pytest.mark.processes
def test_resize_hides_and_brings_back_businesses(start_sandbox) -> None:
    process, client = start_sandbox(big_partner_businesses=50)
    partner = big_partner_token(client)
    first = list_page(client, partner, page_size=100)["results"]
    assert len(first) == 50
    assert first[-1]["id"] == BIG_ZEPHYR_BUSINESS_ID  # N <= 12,345: the last one
    zephyr_token = big_business_token(client, BIG_ZEPHYR_BUSINESS_ID, partner)
    customers = client.customers(BIG_ZEPHYR_BUSINESS_ID, zephyr_token).json()["results"]

    assert process.resize_big_partner(20) == 50
    shrunk = list_page(client, partner, page_size=10)
    assert shrunk["count"] == 20 and shrunk["next"].endswith("page=2&page_size=10")
    assert [row["id"] for row in list_page(client, partner, page_size=100)["results"]] == [
        row["id"] for row in first[:20]
    ]
    zephyr_path = f"/v1/platform/businesses/{BIG_ZEPHYR_BUSINESS_ID}/"
    assert_error_envelope(client.get(zephyr_path, partner), 404)
    assert_error_envelope(client.request_business_token(BIG_ZEPHYR_BUSINESS_ID, partner), 404)
    gone = client.customers(BIG_ZEPHYR_BUSINESS_ID, zephyr_token)  # token issued before
    assert_error_envelope(gone, 404)
    assert process.stats()["big_partner_businesses"] == 20

    assert process.resize_big_partner(60) == 20
    grown = list_page(client, partner, page_size=100)["results"]
    assert grown[:50] == first  # the same records come back, in the same places
    assert len({row["legal_name"] for row in grown}) == 60
    assert client.get(zephyr_path, partner).status_code == 200
    assert client.customers(BIG_ZEPHYR_BUSINESS_ID, zephyr_token).json()["results"] == customers

    process.resize_big_partner(0)
    assert list_page(client, partner) == {"count": 0, "next": None, "previous": None, "results": []}
    process.reset()  # back to the configured size
    assert list_page(client, partner)["count"] == 50


@pytest.mark.processes
def test_resize_rejects_nonsense(start_sandbox) -> None:
    _, client = start_sandbox(big_partner_businesses=10)
    for bad in ({"businesses": -1}, {"businesses": "5"}, {"businesses": True}, {}, [5]):
        response = client.http.post(client.url("/_sandbox/big-partner"), json=bad, timeout=5)
        assert_error_envelope(response, 400)
    state = client.get("/_sandbox/big-partner").json()
    assert state == {
        "partner_uuid": BIG_PARTNER_UUID,
        "businesses": 10,
        "configured": 10,
        "zephyr_business_id": BIG_ZEPHYR_BUSINESS_ID,
        "zephyr_index": 9,
    }


@pytest.mark.processes
def test_latency_applies_to_every_list_page(start_sandbox) -> None:
    _, client = start_sandbox(big_partner_businesses=300, latency_ms=200)
    token = big_partner_token(client)
    for page in (1, 2, 3):
        started = time.monotonic()
        list_page(client, token, page=page, page_size=100)
        assert time.monotonic() - started >= 0.2


@pytest.mark.processes
def test_one_hundred_thousand_businesses(start_sandbox) -> None:
    started = time.monotonic()
    _, client = start_sandbox(big_partner_businesses=100_000)
    assert time.monotonic() - started < 8  # generous: CI machines are slow and shared
    token = big_partner_token(client)
    last = list_page(client, token, page=1000, page_size=100)
    assert last["count"] == 100_000 and len(last["results"]) == 100 and last["next"] is None
    zephyr = list_page(client, token, page=124, page_size=100)["results"][45]
    assert zephyr["id"] == BIG_ZEPHYR_BUSINESS_ID


# -- generation (in-process) ------------------------------------------------------------------


def test_generation_is_deterministic_per_seed_and_ids_are_uuid5() -> None:
    import uuid

    first, again, other = BigPartner(42, 400), BigPartner(42, 400), BigPartner(7, 400)
    assert first.page(0, 400) == again.page(0, 400)
    assert first.page(0, 399) != other.page(0, 399)
    assert first.page(5, 6)[0].id == str(uuid.uuid5(uuid.UUID(BIG_PARTNER_UUID), "42:5"))
    assert business_id(42, 5) == first.page(5, 6)[0].id
    assert first.page(399, 400)[0].legal_name == BIG_ZEPHYR_NAME


def test_generation_scales_to_100000_unique_names() -> None:
    big = BigPartner(42, 100_000)
    businesses = big.page(0, 100_000)
    assert len({b.legal_name for b in businesses}) == 100_000
    assert len({b.id for b in businesses}) == 100_000
    assert businesses[BIG_ZEPHYR_INDEX].id == BIG_ZEPHYR_BUSINESS_ID


def test_cli_flag_env_var_and_banner(monkeypatch) -> None:
    assert parse_args([]).big_partner_businesses == 25_000
    monkeypatch.setenv("SANDBOX_BIG_PARTNER_BUSINESSES", "1234")
    assert parse_args([]).big_partner_businesses == 1234
    assert parse_args(["--big-partner-businesses", "99"]).big_partner_businesses == 99
    with pytest.raises(SystemExit):
        parse_args(["--big-partner-businesses", "-1"])
    text = banner("http://127.0.0.1:8765", 25_000)
    assert text.splitlines()[0] == "Thredfi sandbox listening on http://127.0.0.1:8765"
    assert BIG_PARTNER_UUID in text and BIG_API_KEY in text and BIG_ZEPHYR_BUSINESS_ID in text
    assert "25,000 businesses" in text
