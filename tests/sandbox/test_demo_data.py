"""The generated data: deterministic, and covering the cases that break dashboards."""

from __future__ import annotations

from collections import Counter

from sandbox.demo import (
    BUSINESS_EUR,
    BUSINESS_GBP,
    BUSINESS_USD,
    BUSINESSES,
    DEMO_CUSTOMER_ID,
    build_demo_data,
)
from sandbox.fault_payloads import CUSTOMER_FIELDS


def _all(data) -> list[dict]:
    return [c for customers in data.customers.values() for c in customers.values()]


def test_same_seed_same_data_other_seed_other_data() -> None:
    assert build_demo_data(42).customers == build_demo_data(42).customers
    other = build_demo_data(7)
    assert other.customers != build_demo_data(42).customers
    assert DEMO_CUSTOMER_ID in other.customers[BUSINESS_GBP]


def test_a_few_hundred_customers_over_three_businesses() -> None:
    data = build_demo_data(42)
    counts = {business_id: len(data.customers[business_id]) for business_id in BUSINESSES}
    assert 250 <= sum(counts.values()) <= 350
    assert all(count >= 50 for count in counts.values())


def test_every_customer_has_every_contract_field_but_documents() -> None:
    expected = set(CUSTOMER_FIELDS) - {"documents"}
    assert all(set(customer) == expected for customer in _all(build_demo_data(42)))


def test_variety() -> None:
    customers = _all(build_demo_data(42))
    statuses = Counter(c["status"] for c in customers)
    assert statuses["ARCHIVED"] >= 10 and statuses["ACTIVE"] >= 200
    assert any(c["individual_name"] is None for c in customers)
    assert any(c["company_name"] is None for c in customers)
    assert any(c["individual_name"] and c["company_name"] for c in customers)
    assert any(c["outstanding_balance"] == 0 for c in customers)
    assert any(c["outstanding_balance"] < 0 for c in customers)
    assert any(
        c["credit_limit_cents"] and c["outstanding_balance"] > c["credit_limit_cents"]
        for c in customers
    )
    names = " ".join((c["display_name"] or "") + (c["individual_name"] or "") for c in customers)
    assert any(c["display_name"] is None for c in customers)  # the individual-only one
    assert "PENDING" in statuses
    for fragment in ("Zoë", "Šimon", "Ørsted", "山田"):
        assert fragment in names
    stamps = [c["created_at"] for c in customers]
    assert any(s.endswith("Z") for s in stamps) and any("+01:00" in s for s in stamps)


def test_documents_per_customer_and_sizes() -> None:
    data = build_demo_data(42)
    per_customer = Counter(len(docs) for docs in data.customer_documents.values())
    assert set(per_customer) == {0, 1, 2, 3, 4}
    for doc in data.documents.values():
        assert doc.size == len(doc.content) > 100
        assert doc.file_name.endswith((".pdf", ".csv"))


def test_addresses_match_the_business() -> None:
    data = build_demo_data(42)
    assert {c["country"] for c in data.customers[BUSINESS_GBP].values()} == {"GB"}
    assert {c["country"] for c in data.customers[BUSINESS_USD].values()} == {"US"}
    assert "GB" not in {c["country"] for c in data.customers[BUSINESS_EUR].values()}
