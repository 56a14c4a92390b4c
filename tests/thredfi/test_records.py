"""Parsing upstream JSON into records: tolerant of nulls and wrong types, strict about shape."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from customers_ui.thredfi import BadResponse, Business, Customer, CustomerPage, Document, Lifecycle

CUSTOMER_ID = "5b9e2d4c-8a1f-4e3b-9c7d-6f0a2b4c8e11"


def test_customer_money_is_integer_cents_even_from_strings_and_floats():
    customer = Customer.from_api(
        {
            "id": CUSTOMER_ID,
            "outstanding_balance": "123",
            "credit_limit_cents": 5000.0,
            "payment_terms_days": " 30 ",
        }
    )
    assert customer.outstanding_balance == 123
    assert customer.credit_limit_cents == 5000
    assert customer.payment_terms_days == 30
    assert all(
        isinstance(v, int) for v in (customer.outstanding_balance, customer.credit_limit_cents)
    )


@pytest.mark.parametrize("value", ["12.5", "abc", "", [1], {"a": 1}, True, float("nan"), 1.5])
def test_non_integral_money_becomes_none(value):
    assert (
        Customer.from_api({"id": CUSTOMER_ID, "outstanding_balance": value}).outstanding_balance
        is None
    )


def test_credit_limit_cents_falls_back_to_credit_limit():
    customer = Customer.from_api(
        {"id": CUSTOMER_ID, "credit_limit": 700, "credit_limit_cents": None}
    )
    assert customer.credit_limit_cents == 700
    assert customer.credit_limit == 700
    both = Customer.from_api({"id": CUSTOMER_ID, "credit_limit": 700, "credit_limit_cents": 900})
    assert both.credit_limit_cents == 900


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01T12:30:00Z", datetime(2024, 3, 1, 12, 30, tzinfo=UTC)),
        ("2024-03-01T12:30:00.123456+00:00", datetime(2024, 3, 1, 12, 30, 0, 123456, tzinfo=UTC)),
        ("2024-03-01T13:30:00+01:00", datetime(2024, 3, 1, 12, 30, tzinfo=UTC)),
        ("2024-03-01T12:30:00", datetime(2024, 3, 1, 12, 30, tzinfo=UTC)),  # naive -> UTC
        ("2024-03-01", datetime(2024, 3, 1, tzinfo=UTC)),
    ],
)
def test_datetimes_are_timezone_aware(text, expected):
    parsed = Customer.from_api({"id": CUSTOMER_ID, "created_at": text}).created_at
    assert parsed is not None
    assert parsed.tzinfo is not None
    assert parsed == expected


@pytest.mark.parametrize("value", ["yesterday", "2024-13-45T00:00:00Z", 1700000000, "", None, {}])
def test_unparseable_datetimes_become_none(value):
    assert Customer.from_api({"id": CUSTOMER_ID, "updated_at": value}).updated_at is None


def test_offset_is_kept_as_given():
    parsed = Customer.from_api({"id": CUSTOMER_ID, "created_at": "2024-03-01T12:30:00-05:00"})
    assert parsed.created_at.utcoffset() == timedelta(hours=-5)


def test_wrong_types_are_coerced_or_nulled_never_fatal():
    customer = Customer.from_api(
        {
            "id": CUSTOMER_ID,
            "postal_code": 12345,
            "email": {"not": "a string"},
            "tax_exempt": "false",
            "is_active": 1,
            "is_archived": "maybe",
            "transaction_tags": "single",
            "documents": [None, "junk", {"url": "https://x.example/a.pdf", "file_size": "10"}],
            "metadata": [1, {"deep": True}],
            "unexpected_field": "ignored",
        }
    )
    assert customer.postal_code == "12345"
    assert customer.email is None
    assert customer.tax_exempt is False
    assert customer.is_active is True
    assert customer.is_archived is None
    assert customer.transaction_tags == ("single",)
    assert len(customer.documents) == 1
    assert customer.documents[0].file_size == 10
    assert customer.metadata == [1, {"deep": True}]


def test_ids_are_uuids_from_the_boundary_on():
    customer = Customer.from_api(
        {"id": CUSTOMER_ID.upper(), "documents": [{"document_id": CUSTOMER_ID}, {"document_id": 7}]}
    )
    assert customer.id == uuid.UUID(CUSTOMER_ID)
    assert [d.document_id for d in customer.documents] == [uuid.UUID(CUSTOMER_ID), None]
    assert customer.document(uuid.UUID(CUSTOMER_ID)) is customer.documents[0]
    assert customer.document(uuid.uuid4()) is None


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        (
            {"display_name": "Cobalt", "company_name": "Cobalt Ltd", "individual_name": "Ada"},
            "Cobalt",
        ),
        (
            {"display_name": None, "company_name": "Cobalt Ltd", "individual_name": "Ada"},
            "Cobalt Ltd",
        ),
        (
            {"display_name": " ", "company_name": None, "individual_name": "Ada Okafor"},
            "Ada Okafor",
        ),
        ({}, ""),
    ],
)
def test_a_customer_has_one_name(fields, name):
    assert Customer.from_api({"id": CUSTOMER_ID, **fields}).name == name


@pytest.mark.parametrize(
    ("fields", "lifecycle", "label"),
    [
        ({"status": "ACTIVE", "is_active": True}, Lifecycle.ACTIVE, "Active"),
        ({"status": "ARCHIVED", "is_active": False}, Lifecycle.ARCHIVED, "Archived"),
        ({"status": "ACTIVE", "is_archived": True}, Lifecycle.ARCHIVED, "Archived"),
        ({"status": "pending", "is_active": True}, "PENDING", "Pending"),
        ({"status": "ON_HOLD"}, "ON_HOLD", "On hold"),
        ({"status": None, "is_active": True}, Lifecycle.ACTIVE, "Active"),
        ({"status": "<script>", "is_active": False}, Lifecycle.UNKNOWN, "Unknown"),
        ({}, Lifecycle.UNKNOWN, "Unknown"),
    ],
)
def test_a_customer_has_one_lifecycle(fields, lifecycle, label):
    customer = Customer.from_api({"id": CUSTOMER_ID, **fields})
    assert (customer.lifecycle, customer.lifecycle_label) == (lifecycle, label)


@pytest.mark.parametrize("data", [[1, 2, 3], "text", None, 42])
def test_non_object_customer_is_a_bad_response(data):
    with pytest.raises(BadResponse):
        Customer.from_api(data)


@pytest.mark.parametrize("ident", [None, "", "not-a-uuid", 123, "../../etc/passwd"])
def test_customer_without_valid_id_is_a_bad_response(ident):
    with pytest.raises(BadResponse):
        Customer.from_api({"id": ident, "display_name": "x"})


def test_the_answer_is_kept_as_received_for_the_detail_page():
    answer = {"id": CUSTOMER_ID, "display_name": "Zoë", "b": 1, "a": None}
    assert dict(Customer.from_api(answer).raw) == answer


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://files.example/doc.pdf?sig=abc", True),
        ("http://127.0.0.1:8000/doc", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        (" https://files.example/doc.pdf", False),
        ("java\nscript:alert(1)", False),
        ("https:///no-host", False),
        ("//files.example/doc.pdf", False),
        ("ftp://files.example/doc.pdf", False),
        ("", False),
        (None, False),
    ],
)
def test_document_url_safety(url, safe):
    assert Document(url=url).is_safe_url is safe


def test_business_parsing():
    business = Business.from_api(
        {
            "id": "3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a01",
            "legal_name": "Harbour & Finch Ltd",
            "country": "gb",
            "currency": "gbp",
            "entity_type": "limited_company",
            "is_active": True,
        }
    )
    assert (business.currency, business.country, business.is_active) == ("GBP", "GB", True)
    assert business.id == uuid.UUID("3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a01")
    assert Business.from_api(business.to_api()) == business
    with pytest.raises(BadResponse):
        Business.from_api({"legal_name": "no id"})


def test_customer_page_reads_page_info_and_skips_broken_rows():
    page = CustomerPage.from_api(
        {
            "count": 45,
            "page_info": {"total_count": 45, "current_page": 2, "total_pages": 3, "page_size": 20},
            "results": [{"id": CUSTOMER_ID}, {"id": "broken"}, "junk"],
        }
    )
    assert (page.count, page.page, page.page_size, page.total_pages) == (45, 2, 20, 3)
    assert [c.id for c in page.results] == [uuid.UUID(CUSTOMER_ID)]
    assert page.has_next and page.has_previous


def test_customer_page_without_page_info_derives_numbers():
    page = CustomerPage.from_api({"count": 41, "results": []}, page=1, page_size=20)
    assert (page.total_pages, page.has_next, page.has_previous) == (3, True, False)
    empty = CustomerPage.from_api({})
    assert (empty.count, empty.total_pages, empty.has_next) == (0, 1, False)


def test_customer_page_with_non_list_results_is_a_bad_response():
    with pytest.raises(BadResponse):
        CustomerPage.from_api({"results": {"id": CUSTOMER_ID}})
    with pytest.raises(BadResponse):
        CustomerPage.from_api([1, 2, 3])


def test_records_are_frozen():
    customer = Customer.from_api({"id": CUSTOMER_ID})
    with pytest.raises(AttributeError):
        customer.email = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "value",
    ["1e999999999", "9E+99999999999", "-1e999999", 10**30, -(10**30), "1" * 60, 1e300, "1e400"],
)
def test_numbers_too_large_for_any_business_are_unreadable_and_cost_nothing(value):
    import time

    started = time.perf_counter()
    customer = Customer.from_api(
        {"id": CUSTOMER_ID, "outstanding_balance": value, "credit_limit_cents": value}
    )
    assert time.perf_counter() - started < 0.01
    assert customer.outstanding_balance is None
    assert customer.unreadable == {"outstanding_balance", "credit_limit_cents"}


def test_a_null_is_unknown_not_unreadable():
    customer = Customer.from_api({"id": CUSTOMER_ID, "outstanding_balance": None})
    assert customer.unreadable == frozenset()


def test_document_sizes_are_bounded_too():
    customer = Customer.from_api(
        {"id": CUSTOMER_ID, "documents": [{"file_size": "1e400"}, {"file_size": 10**40}]}
    )
    assert [d.file_size for d in customer.documents] == [None, None]


def test_a_page_info_claiming_absurd_numbers_is_clamped():
    page = CustomerPage.from_api(
        {
            "page_info": {"total_count": 10**31, "total_pages": 10**29, "current_page": 10**29},
            "results": [{"id": CUSTOMER_ID}],
        },
        page=1,
        page_size=20,
    )
    assert page.total_pages <= 10_000
    assert page.count <= 10_000 * 20
    assert page.page <= page.total_pages


def test_strings_are_bounded_and_stripped_of_control_characters():
    customer = Customer.from_api(
        {
            "id": CUSTOMER_ID,
            "display_name": "Cobalt\x1b[31m Ltd\u202e",
            "notes": "line one\nline two\x00" + "x" * 500_000,
        }
    )
    assert customer.display_name == "Cobalt[31m Ltd"
    assert customer.notes.startswith("line one\nline two")
    assert len(customer.notes) <= 100_000
