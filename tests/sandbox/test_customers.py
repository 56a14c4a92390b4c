"""Customer list (search, pagination) and detail, as the dashboard consumes them."""

from __future__ import annotations

import math

import pytest

from sandbox.demo import BUSINESS_EUR, BUSINESS_GBP, BUSINESS_USD, DEMO_CUSTOMER_ID
from tests.sandbox.conftest import assert_error_envelope

DEMO_EXPECTED = {
    "type": "CustomerData",
    "id": DEMO_CUSTOMER_ID,
    "company_name": "Cobalt Kitchens Ltd",
    "individual_name": "Ada Okafor",
    "display_name": "Cobalt Kitchens Ltd",
    "email": "ada@cobaltkitchens.example",
    "reference_number": "CUST-0001",
    "external_id": "crm-0001",
    "outstanding_balance": 123456,
    "credit_limit_cents": 500000,
    "credit_limit": 500000,
    "payment_terms_days": 30,
    "status": "ACTIVE",
    "is_active": True,
    "is_archived": False,
    "archived_at": None,
    "city": "London",
    "country": "GB",
    "vat_number": "GB123456789",
    "transaction_tags": ["wholesale", "priority"],
}


def test_list_envelope_and_page_info(api, business_tokens) -> None:
    response = api.customers(BUSINESS_GBP, business_tokens[BUSINESS_GBP])

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "page_info", "results"}
    info = body["page_info"]
    assert info["total_count"] == body["count"] > 100
    assert info["current_page"] == 1
    assert info["page_size"] == 20
    assert info["total_pages"] == math.ceil(body["count"] / 20)
    assert len(body["results"]) == 20


def test_list_rows_never_carry_documents(api, business_tokens) -> None:
    for business_id, token in business_tokens.items():
        rows = api.all_rows(business_id, token)
        assert rows
        assert all("documents" not in row for row in rows)


def test_list_is_stably_ordered_by_display_name_then_id(api, business_tokens) -> None:
    rows = api.all_rows(BUSINESS_EUR, business_tokens[BUSINESS_EUR])
    keys = [(row["display_name"].casefold(), row["id"]) for row in rows]
    assert keys == sorted(keys)
    assert len({row["id"] for row in rows}) == len(rows)
    assert rows == api.all_rows(BUSINESS_EUR, business_tokens[BUSINESS_EUR])


def test_pages_partition_the_whole_list(api, business_tokens) -> None:
    token = business_tokens[BUSINESS_USD]
    count = api.customers(BUSINESS_USD, token).json()["count"]
    seen = []
    for page in range(1, math.ceil(count / 7) + 1):
        body = api.customers(BUSINESS_USD, token, page=page, page_size=7).json()
        assert body["page_info"] == {
            "total_count": count,
            "current_page": page,
            "total_pages": math.ceil(count / 7),
            "page_size": 7,
        }
        seen += [row["id"] for row in body["results"]]
    assert len(seen) == len(set(seen)) == count


@pytest.mark.parametrize(("asked", "used"), [("500", 100), ("100", 100), ("0", 20), ("x", 20)])
def test_page_size_is_clamped(api, business_tokens, asked, used) -> None:
    body = api.customers(BUSINESS_GBP, business_tokens[BUSINESS_GBP], page_size=asked).json()
    assert body["page_info"]["page_size"] == used
    assert len(body["results"]) == used


@pytest.mark.parametrize("page", ["999", "0", "-1", "abc"])
def test_out_of_range_page_is_404_invalid_page(api, business_tokens, page) -> None:
    response = api.customers(BUSINESS_GBP, business_tokens[BUSINESS_GBP], page=page)
    body = assert_error_envelope(response, 404)
    assert body["message"] == "Invalid page."


@pytest.mark.parametrize(
    "term", ["ADA@COBALTKITCHENS.example", "cust-0001", "cobalt kitchens", "ada okafor", "CRM-0001"]
)
def test_search_is_case_insensitive_over_names_email_and_references(
    api, business_tokens, term
) -> None:
    body = api.customers(BUSINESS_GBP, business_tokens[BUSINESS_GBP], search=term).json()
    assert DEMO_CUSTOMER_ID in {row["id"] for row in body["results"]}
    assert body["count"] == body["page_info"]["total_count"] == len(body["results"])


def test_search_matches_non_ascii_names(api, business_tokens) -> None:
    body = api.customers(BUSINESS_EUR, business_tokens[BUSINESS_EUR], search="ØRSTED").json()
    assert body["count"] >= 1
    assert all("ørsted" in str(row).casefold() for row in body["results"])


def test_search_without_hits_is_an_empty_first_page(api, business_tokens) -> None:
    body = api.customers(BUSINESS_GBP, business_tokens[BUSINESS_GBP], search="zzz-nothing").json()
    assert body["count"] == 0
    assert body["results"] == []
    assert body["page_info"]["current_page"] == 1


def test_unknown_query_parameters_are_ignored(api, business_tokens) -> None:
    token = business_tokens[BUSINESS_GBP]
    plain = api.customers(BUSINESS_GBP, token).json()
    assert api.customers(BUSINESS_GBP, token, status="ARCHIVED", foo="bar").json() == plain


def test_list_route_without_trailing_slash(api, business_tokens) -> None:
    path = f"/v1/platform/businesses/{BUSINESS_GBP}/customers"
    assert api.get(path, business_tokens[BUSINESS_GBP]).status_code == 200


def test_demo_customer_detail(api, business_tokens) -> None:
    response = api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, business_tokens[BUSINESS_GBP])

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Request-ID"].startswith("req_")
    body = response.json()
    assert {k: body[k] for k in DEMO_EXPECTED} == DEMO_EXPECTED
    assert body["metadata"]["crm"]["ids"]["salesforce"]
    assert "\n" in body["full_address"] and "\n" not in body["address_string"]
    assert [d["file_name"] for d in body["documents"]] == [
        "INV-2024-0042.pdf",
        "statement-2024-03.csv",
    ]
    assert [d["mime_type"] for d in body["documents"]] == ["application/pdf", "text/csv"]


def test_detail_mints_fresh_document_urls_on_the_request_host(api, business_tokens) -> None:
    token = business_tokens[BUSINESS_GBP]
    first = api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token).json()["documents"][0]
    via_localhost = api.http.get(
        api.url(f"/v1/platform/businesses/{BUSINESS_GBP}/customers/{DEMO_CUSTOMER_ID}/"),
        headers={"Authorization": f"Bearer {token}", "Host": "localhost:1234"},
    ).json()["documents"][0]

    assert first["url"].startswith(f"{api.base_url}/files/{first['document_id']}/")
    assert "expires=" in first["url"] and "signature=" in first["url"]
    assert first["expires_in"] == 300
    assert via_localhost["url"].startswith("http://localhost:1234/files/")


def test_detail_without_trailing_slash_and_uppercase_id(api, business_tokens) -> None:
    path = f"/v1/platform/businesses/{BUSINESS_GBP}/customers/{DEMO_CUSTOMER_ID.upper()}"
    response = api.get(path, business_tokens[BUSINESS_GBP])
    assert response.status_code == 200
    assert response.json()["id"] == DEMO_CUSTOMER_ID


@pytest.mark.parametrize(
    "customer_id", ["not-a-uuid", "12345", "99999999-9999-4999-8999-999999999999"]
)
def test_unknown_or_malformed_customer_is_404(api, business_tokens, customer_id) -> None:
    response = api.customer(BUSINESS_GBP, customer_id, business_tokens[BUSINESS_GBP])
    assert_error_envelope(response, 404)


def test_customer_of_another_business_is_404(api, business_tokens) -> None:
    response = api.customer(BUSINESS_EUR, DEMO_CUSTOMER_ID, business_tokens[BUSINESS_EUR])
    assert_error_envelope(response, 404)


def test_every_business_has_its_own_customers_with_matching_addresses(api, business_tokens) -> None:
    countries = {BUSINESS_GBP: {"GB"}, BUSINESS_USD: {"US"}}
    for business_id, expected in countries.items():
        rows = api.all_rows(business_id, business_tokens[business_id])
        assert {row["country"] for row in rows} == expected
    eu_rows = api.all_rows(BUSINESS_EUR, business_tokens[BUSINESS_EUR])
    assert {"DE", "FR", "AT"} <= {row["country"] for row in eu_rows}
    assert "GB" not in {row["country"] for row in eu_rows}


def test_uppercase_business_id_is_the_same_business(api, business_tokens) -> None:
    response = api.customers(BUSINESS_GBP.upper(), business_tokens[BUSINESS_GBP])
    assert response.status_code == 200
