"""Reading businesses and customers from the sandbox into typed records."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from customers_ui.thredfi import Business, BusinessNotFound, Customer, CustomerPage, NotFound
from sandbox import faults
from sandbox.demo import BUSINESS_EUR, BUSINESS_GBP, BUSINESS_USD, DEMO_CUSTOMER_ID

from .helpers import route_count


def test_the_business_list_returns_all_three_with_currencies(client):
    businesses = client.list_businesses_page(1).results
    assert all(isinstance(b, Business) for b in businesses)
    by_id = {b.id: b for b in businesses}
    gbp, eur, usd = (uuid.UUID(b) for b in (BUSINESS_GBP, BUSINESS_EUR, BUSINESS_USD))
    assert set(by_id) == {gbp, eur, usd}
    assert by_id[gbp].currency == "GBP"
    assert by_id[eur].currency == "EUR"
    assert by_id[usd].currency == "USD"
    assert by_id[gbp].legal_name == "Harbour & Finch Ltd"


def test_get_business_accepts_uuid_objects(client):
    business = client.get_business(uuid.UUID(BUSINESS_EUR))
    assert business.id == uuid.UUID(BUSINESS_EUR)
    assert business.currency == "EUR"


def test_unknown_business_is_not_found(client):
    try:
        client.get_business(uuid.uuid4())
    except NotFound as error:
        assert error.request_id
    else:  # pragma: no cover - the sandbox must not invent businesses
        raise AssertionError("expected NotFound")


def test_which_id_thredfi_did_not_know_is_told_apart(client):
    """A business the partner does not have is `BusinessNotFound`, whether its record or a
    customer of it was asked for (the business token is what Thredfi refuses); a customer the
    business does not have is a plain `NotFound`."""
    stranger = uuid.uuid4()
    with pytest.raises(BusinessNotFound) as record:
        client.get_business(stranger)
    with pytest.raises(BusinessNotFound) as customer_of_it:
        client.get_customer(stranger, uuid.uuid4())
    with pytest.raises(NotFound) as customer:
        client.get_customer(BUSINESS_GBP, uuid.uuid4())
    assert not isinstance(customer.value, BusinessNotFound)
    for caught in (record, customer_of_it, customer):
        assert caught.value.status == 404 and caught.value.request_id


def test_demo_customer_in_full(client):
    customer = client.get_customer(BUSINESS_GBP, uuid.UUID(DEMO_CUSTOMER_ID))
    assert isinstance(customer, Customer)
    assert customer.id == uuid.UUID(DEMO_CUSTOMER_ID)
    assert customer.display_name == "Cobalt Kitchens Ltd"
    assert customer.outstanding_balance == 123456
    assert customer.credit_limit_cents == 500000
    assert isinstance(customer.outstanding_balance, int)
    assert len(customer.documents) == 2
    assert all(doc.is_safe_url for doc in customer.documents)
    assert all(doc.url.startswith(("http://", "https://")) for doc in customer.documents)
    for value in (customer.created_at, customer.updated_at):
        assert isinstance(value, datetime)
        assert value.tzinfo is not None
    assert isinstance(customer.transaction_tags, tuple)
    assert customer.name == "Cobalt Kitchens Ltd"
    assert customer.raw["display_name"] == "Cobalt Kitchens Ltd"


def test_all_nulls_are_tolerated(client):
    customer = client.get_customer(BUSINESS_GBP, faults.ALL_NULLS)
    assert customer.id == uuid.UUID(faults.ALL_NULLS)
    assert customer.status
    assert customer.email is None
    assert customer.outstanding_balance is None
    assert customer.created_at is None
    assert customer.documents == ()
    assert customer.transaction_tags == ()


def test_minimal_answer_with_unknown_fields(client):
    customer = client.get_customer(BUSINESS_GBP, faults.MINIMAL)
    assert customer.id == uuid.UUID(faults.MINIMAL)
    assert customer.display_name is None
    assert customer.name == ""
    assert customer.raw["unexpected_field"] == {"x": 1}


def test_hostile_values_are_kept_verbatim_and_unsafe_links_flagged(client):
    customer = client.get_customer(BUSINESS_GBP, faults.HOSTILE)
    strings = [customer.display_name, customer.company_name, customer.email, customer.notes]
    assert any(s and "<" in s for s in strings)  # not escaped here: the template's job
    assert 10_000 < len(customer.notes or "") <= 100_000  # a megabyte sent, a bounded field kept
    unsafe = [doc for doc in customer.documents if not doc.is_safe_url]
    schemes = {doc.url.split(":", 1)[0].lower() for doc in unsafe if doc.url}
    assert {"javascript", "data"} <= schemes


def test_search_by_email_finds_the_demo_customer(api, client):
    page = client.search_customers(BUSINESS_GBP, "ada@cobaltkitchens.example")
    assert isinstance(page, CustomerPage)
    assert uuid.UUID(DEMO_CUSTOMER_ID) in [c.id for c in page.results]
    assert page.count >= 1
    assert route_count(api, "list_customers") == 1


def test_search_pages(client):
    first = client.search_customers(BUSINESS_GBP, page=1, page_size=20)
    second = client.search_customers(BUSINESS_GBP, page=2, page_size=20)
    assert first.count > 20
    assert (first.page, second.page) == (1, 2)
    assert first.has_next and not first.has_previous
    assert second.has_previous
    assert len(first.results) == 20
    assert not {c.id for c in first.results} & {c.id for c in second.results}
    assert first.total_pages == -(-first.count // 20)


def test_search_without_matches_is_an_empty_page(client):
    page = client.search_customers(BUSINESS_EUR, "no customer is called this zzzqqq")
    assert page.results == ()
    assert page.count == 0
    assert not page.has_next


def test_bad_search_arguments_raise_value_error(client):
    import pytest

    for kwargs in ({"page": 0}, {"page_size": 0}, {"page_size": 1000}, {"query": "x" * 1000}):
        with pytest.raises(ValueError):
            client.search_customers(BUSINESS_GBP, **kwargs)
