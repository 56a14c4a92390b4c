"""What the detail page derives from a customer record: limits, utilisation, address."""

from __future__ import annotations

import pytest

from customers_ui.presenters import CustomerPresenter
from customers_ui.thredfi import Business, Customer

GBP = Business(id="3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a01", legal_name="Harbour", currency="GBP")
ID = "5b9e2d4c-8a1f-4e3b-9c7d-6f0a2b4c8e11"


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
