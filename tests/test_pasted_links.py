"""One reading of a pasted link for the business finder and the paste box (core/pasted_links)."""

from __future__ import annotations

import uuid

import pytest

from customers_ui.core.pasted_links import LinkedBusiness, linked_business
from customers_ui.directory.services import pasted_business_id
from customers_ui.lookup.references import CustomerReference, parse_customer_reference

B = uuid.UUID("2b9f3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d")
C = uuid.UUID("7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f")


@pytest.mark.parametrize(
    ("pasted", "finder", "paste_box"),
    [
        # Our pages.
        (f"https://dash.example/customers/{B}/{C}/", B, CustomerReference(C, B)),
        (f"https://dash.example/customers/{B}/", B, CustomerReference(None, B)),
        (f"dash.example/customers/{B}/?q=ada#results", B, CustomerReference(None, B)),
        (f"/customers/{B}", B, CustomerReference(None, B)),
        # Thredfi's API.
        (
            f"https://api.thredfi.com/v1/platform/businesses/{B}/customers/{C}",
            B,
            CustomerReference(C, B),
        ),
        (
            f"https://api.thredfi.com/v1/platform/businesses/{B}/customers/",
            B,
            CustomerReference(None, B),
        ),
        # Inside a business, not its page: the finder still knows the business.
        (
            f"https://api.thredfi.com/v1/platform/businesses/{B}/invoices",
            B,
            CustomerReference(B, None),
        ),
        # A bare id: the finder's box is for businesses, the paste box for customers.
        (f"  {B} ", B, CustomerReference(B, None)),
        # An id in someone else's link names no business.
        (f"https://crm.example/contacts/{C}/", None, CustomerReference(C, None)),
        (f"https://[::1/customers/{B}/", None, CustomerReference(B, None)),
        ("no id here", None, None),
    ],
)
def test_the_finder_and_the_paste_box_read_a_link_alike(pasted, finder, paste_box) -> None:
    assert pasted_business_id(pasted) == finder
    assert parse_customer_reference(pasted) == paste_box


def test_a_business_page_is_told_from_a_page_inside_it() -> None:
    assert linked_business(f"/businesses/{B}/customers/") == LinkedBusiness(B, True)
    assert linked_business(f"/businesses/{B}/customers/{C}") == LinkedBusiness(B, False)
    assert linked_business(f"/customers/{B}x/") is None
