"""The customer detail page against the sandbox over real HTTP."""

from __future__ import annotations

import re

import pytest

from customers_ui.models import LookupEvent
from sandbox import faults
from sandbox.demo import BUSINESS_EUR, BUSINESS_GBP, DEMO_CUSTOMER_ID

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"


def test_detail_shows_what_support_needs(staff_client) -> None:
    response = staff_client.get(DETAIL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cobalt Kitchens Ltd" in html
    assert "Ada Okafor" in html
    assert "£1,234.56" in html  # outstanding balance, from 123456 cents
    assert "£5,000.00" in html  # credit limit
    assert "Credit used: 25%" in html
    assert "Net 30" in html
    assert 'href="mailto:ada@cobaltkitchens.example"' in html
    assert "GB123456789" in html
    assert "CUST-0001" in html
    assert "crm-0001" in html
    assert "wholesale" in html
    assert "Raw JSON" in html
    assert "Active" in html
    links = re.findall(
        rf'href="(/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/documents/[^"]+/)"', html
    )
    assert len(links) == 2


def test_a_view_is_audited(staff_client, support_user) -> None:
    staff_client.get(DETAIL)
    event = LookupEvent.objects.get()
    assert event.user == support_user
    assert event.action == "view"
    assert event.outcome == "ok"
    assert str(event.customer_id) == DEMO_CUSTOMER_ID
    assert event.customer_name == "Cobalt Kitchens Ltd"
    assert event.credential_label == "Sandbox"


def test_warm_page_costs_one_upstream_call_and_few_queries(
    staff_client, thredfi_sandbox, django_assert_max_num_queries
) -> None:
    staff_client.get(DETAIL)  # warms tokens and business metadata
    before = thredfi_sandbox.stats()
    with django_assert_max_num_queries(4):
        response = staff_client.get(DETAIL)
    assert response.status_code == 200
    after = thredfi_sandbox.stats()
    assert after["total_requests"] - before["total_requests"] == 1
    assert after["requests"].get("get_customer", 0) - before["requests"].get("get_customer", 0) == 1
    assert after["partner_token_requests"] == before["partner_token_requests"]
    assert after["business_token_requests"] == before["business_token_requests"]


def test_money_uses_the_business_currency(staff_client, thredfi_sandbox) -> None:
    listing = staff_client.get(f"/customers/{BUSINESS_EUR}/")
    assert listing.status_code == 200
    first = re.search(
        rf'href="(/customers/{BUSINESS_EUR}/[0-9a-f-]{{36}}/)"', listing.content.decode()
    )
    detail = staff_client.get(first.group(1))
    assert detail.status_code == 200
    assert "€" in detail.content.decode()
    assert "£" not in detail.content.decode()


@pytest.mark.parametrize(
    ("customer_id", "status", "words"),
    [
        (faults.NOT_FOUND, 404, "No such customer"),
        (faults.FORBIDDEN, 403, "Thredfi refused access"),
        (faults.UNAUTHORIZED, 403, "Thredfi refused your credentials"),
        (faults.CONFLICT, 502, "Thredfi had a problem"),
        (faults.UNPROCESSABLE, 502, "Thredfi rejected the lookup"),
        (faults.BAD_REQUEST, 502, "Thredfi rejected the lookup"),
        (faults.RATE_LIMITED, 429, "Thredfi is limiting requests"),
        (faults.SERVER_ERROR, 502, "Thredfi had a problem"),
        (faults.BAD_GATEWAY, 502, "Thredfi had a problem"),
        (faults.UNAVAILABLE, 503, "temporarily unavailable"),
        (faults.HANG, 504, "Thredfi took too long"),
        (faults.NON_JSON, 502, "couldn"),
        (faults.WRONG_SHAPE, 502, "couldn"),
        (faults.OVERSIZED, 502, "couldn"),
        (faults.OVERSIZED_CHUNKED, 502, "couldn"),
    ],
)
def test_upstream_failures_get_a_clear_page_with_the_right_status(
    staff_client, customer_id: str, status: int, words: str
) -> None:
    response = staff_client.get(f"/customers/{BUSINESS_GBP}/{customer_id}/")
    assert response.status_code == status
    html = response.content.decode()
    assert words in html.replace("&#x27;", "'")
    assert "Traceback" not in html
    if customer_id != faults.HANG:
        assert re.search(r"Thredfi request ID: <code>req_[0-9a-zA-Z]+</code>", html), html[:2000]
    event = LookupEvent.objects.get()
    assert event.http_status == status
    assert event.outcome != "ok"


def test_rate_limit_passes_retry_after_on(staff_client) -> None:
    response = staff_client.get(f"/customers/{BUSINESS_GBP}/{faults.RATE_LIMITED}/")
    assert response.status_code == 429
    assert response["Retry-After"] == "30"


def test_a_transient_failure_is_retried_invisibly(staff_client, thredfi_sandbox) -> None:
    response = staff_client.get(f"/customers/{BUSINESS_GBP}/{faults.UNAVAILABLE_ONCE}/")
    assert response.status_code == 200
    assert thredfi_sandbox.stats()["requests"]["get_customer"] == 2  # one 503, one retry
    assert LookupEvent.objects.get().outcome == "ok"


@pytest.mark.parametrize(
    ("customer_id", "offered"),
    [(faults.UNAVAILABLE, True), (faults.HANG, True), (faults.NOT_FOUND, False)],
)
def test_try_again_is_offered_only_where_it_can_help(staff_client, customer_id, offered) -> None:
    url = f"/customers/{BUSINESS_GBP}/{customer_id}/"
    html = staff_client.get(url).content.decode()
    assert (f'href="{url}">Try again</a>' in html) is offered


@pytest.mark.parametrize(
    "path",
    [
        f"/customers/{BUSINESS_GBP}/not-a-uuid/",
        f"/customers/not-a-uuid/{DEMO_CUSTOMER_ID}/",
        f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}x/",
        f"/customers/{BUSINESS_GBP}/../{DEMO_CUSTOMER_ID}/",
        f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/documents/nope/",
    ],
)
def test_invalid_ids_are_404_before_any_upstream_call(staff_client, thredfi_sandbox, path) -> None:
    response = staff_client.get(path)
    assert response.status_code == 404
    assert thredfi_sandbox.stats()["total_requests"] == 0
    assert LookupEvent.objects.count() == 0


@pytest.mark.parametrize("rest", ["", "documents/9d1e4b7a-3c2f-4a6e-8b1d-2f0c5a7e9b01/"])
def test_unknown_business_is_a_404_that_names_the_business(staff_client, rest) -> None:
    """The business is what Thredfi does not know (it refuses a token for it), so the page says
    so rather than sending the person to check the customer's ID."""
    response = staff_client.get(
        f"/customers/00000000-0000-4000-8000-00000000beef/{DEMO_CUSTOMER_ID}/{rest}"
    )
    assert response.status_code == 404
    assert "No such business" in response.text
    assert "No such customer" not in response.text
    assert "Thredfi request ID" in response.text
    assert LookupEvent.objects.get().outcome == "not_found"


def test_records_with_nulls_or_missing_fields_still_render(staff_client) -> None:
    for customer_id in (faults.ALL_NULLS, faults.MINIMAL):
        response = staff_client.get(f"/customers/{BUSINESS_GBP}/{customer_id}/")
        assert response.status_code == 200, customer_id
        assert "<h1>Unnamed customer" in response.text
        assert "No documents." in response.text


def test_a_cached_token_serves_the_page_without_decrypting_the_key(
    staff_client, monkeypatch
) -> None:
    from customers_ui.models import credentials as models

    staff_client.get(DETAIL)  # mints and caches the tokens: needs the key once
    decryptions: list[str] = []
    real = models.decrypt_secret
    monkeypatch.setattr(
        models, "decrypt_secret", lambda text: decryptions.append(text) or real(text)
    )

    response = staff_client.get(DETAIL)

    assert response.status_code == 200
    assert decryptions == []


def test_an_unexpected_failure_is_audited_as_an_error(support_user, credential, monkeypatch):
    from django.test import Client

    from customers_ui.lookup import services

    def explode(*args, **kwargs):
        raise RuntimeError("a bug, not an upstream failure")

    monkeypatch.setattr(services, "_business", explode)
    client = Client(raise_request_exception=False)
    client.force_login(support_user)

    response = client.get(DETAIL)

    assert response.status_code == 500
    event = LookupEvent.objects.get()
    assert (event.outcome, event.http_status) == ("error", 500)


def test_hostile_strings_are_inert(staff_client) -> None:
    response = staff_client.get(f"/customers/{BUSINESS_GBP}/{faults.HOSTILE}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>window.__pwned" not in html
    assert "<img src=x onerror" not in html
    assert 'href="javascript:' not in html
    assert 'href="data:' not in html
    assert len(html) < 400_000  # a megabyte of notes is cut, not echoed


def test_wrong_methods_are_refused(staff_client, thredfi_sandbox) -> None:
    assert staff_client.post(DETAIL).status_code == 405
    assert thredfi_sandbox.stats()["total_requests"] == 0
