"""What the detail page derives from a customer record: limits, utilisation, address."""

from __future__ import annotations

import json
import uuid

import pytest

from customers_ui.lookup.presenters import CustomerPresenter
from customers_ui.thredfi import Business, Customer, Document

GBP = Business(
    id=uuid.UUID("3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a01"), legal_name="Harbour", currency="GBP"
)
ID = uuid.UUID("5b9e2d4c-8a1f-4e3b-9c7d-6f0a2b4c8e11")


def present(**fields) -> CustomerPresenter:
    return CustomerPresenter(Customer(id=ID, **fields), GBP)


@pytest.mark.parametrize(
    ("balance", "limit", "used", "over", "in_credit"),
    [
        (123456, 500000, 25, False, False),
        (600000, 500000, 120, True, False),
        (-26734, 500000, 0, False, True),  # in credit: nothing used, never "-1%"
        (0, 500000, 0, False, False),
        (5000, 0, None, False, False),  # 0 = no limit
        (5000, None, None, False, False),  # unknown limit
        (None, 500000, None, False, False),
    ],
)
def test_credit_utilisation(balance, limit, used, over, in_credit) -> None:
    view = present(outstanding_balance=balance, credit_limit_cents=limit)
    assert view.credit_utilisation == used
    assert view.over_limit is over
    assert view.in_credit is in_credit
    assert 0 <= view.meter_value <= 100


def test_credit_limit_label_tells_none_from_unknown() -> None:
    assert present(credit_limit_cents=0).credit_limit_label == "No credit limit"
    assert present(credit_limit_cents=None).credit_limit_label == "—"
    assert present(credit_limit_cents=500000).credit_limit_label == "£5,000.00"


def test_address_is_laid_out_with_the_country_named() -> None:
    view = present(
        address_line1="14 Wharf Road",
        address_line2=None,
        city="London",
        state_county="Greater London",
        postal_code="N1 7GR",
        country="GB",
    )
    assert view.address_lines == [
        "14 Wharf Road",
        "London",
        "Greater London N1 7GR",
        "United Kingdom",
    ]


def test_address_falls_back_to_thredfis_own_text() -> None:
    view = present(full_address="1 Main St\nSpringfield\n")
    assert view.address_lines == ["1 Main St", "Springfield"]


def test_payment_terms() -> None:
    assert present(payment_terms_days=30).payment_terms == "Net 30"
    assert present(payment_terms_days=0).payment_terms == "Due on receipt"
    assert present().payment_terms is None


def test_raw_json_is_pretty_sorted_and_keeps_non_ascii() -> None:
    answer = {"id": str(ID), "display_name": "Zoë", "b": 1, "a": None}
    view = CustomerPresenter(Customer.from_api(answer), GBP)
    assert view.raw_json.text == json.dumps(answer, indent=2, ensure_ascii=False, sort_keys=True)
    assert not view.raw_json.cut


def test_huge_raw_json_is_cut_with_a_note() -> None:
    customer = Customer.from_api(
        {"id": str(ID), "metadata": {f"k{i}": "x" * 500 for i in range(900)}}
    )
    view = CustomerPresenter(customer, GBP)
    assert len(view.raw_json.text) <= 200_000
    assert view.raw_json.cut


def test_metadata_is_shown_sorted_and_cut_by_size() -> None:
    assert present(metadata={"b": 1, "a": [1, 2]}).metadata.text == (
        '{\n  "a": [\n    1,\n    2\n  ],\n  "b": 1\n}'
    )
    wide = present(metadata={f"key{i:05}": "v" * 100 for i in range(10_000)}).metadata
    assert wide.cut
    assert len(wide.text) <= 10_000


def test_documents_without_a_real_id_or_safe_link_get_no_download_link() -> None:
    good = Document(document_id=uuid.uuid4(), file_name="a.pdf", url="https://files.example/a")
    no_id = Document(document_id=None, file_name="b.pdf", url="https://files.example/b")
    unsafe = Document(document_id=uuid.uuid4(), file_name="c.pdf", url="javascript:alert(1)")
    rows = present(documents=(good, no_id, unsafe)).documents
    assert rows[0].download_url == f"/customers/{GBP.id}/{ID}/documents/{good.document_id}/"
    assert (rows[1].download_url, rows[1].unavailable_reason) == (None, "no valid document ID")
    assert rows[2].download_url is None
    assert "not an https URL" in rows[2].unavailable_reason


def test_the_title_is_the_customers_one_name() -> None:
    assert present(individual_name="Priya Raman").title == "Priya Raman"
    assert present().title == "Unnamed customer"
