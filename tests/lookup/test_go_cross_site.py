"""`/go` is a GET that calls Thredfi and writes audit rows: no other site may trigger it.

A link in a ticket is a cross-site navigation. `/go` acts at once only when the browser says the
request is same-origin or typed (`Sec-Fetch-Site`), or its `Referer` origin is a listed helpdesk
(`HELPDESK_ORIGINS`); anything else gets a confirmation page and makes no upstream call.
"""

from __future__ import annotations

import re

import pytest

from customers_ui.models import LookupEvent
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID

HELPDESK = "https://acme.zendesk.example"
DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
BY_EMAIL = {"business": BUSINESS_GBP, "customer": "ada@cobaltkitchens.example", "ticket": "ZD-1"}


@pytest.fixture(autouse=True)
def _helpdesk_listed(settings) -> None:
    settings.HELPDESK_ORIGINS = [HELPDESK]


def _upstream(sandbox) -> int:
    return sandbox.stats()["total_requests"]


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": "https://evil.example/page"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},  # no Referer at all (rel=noreferrer)
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_REFERER": "https://evil.acme.zendesk.example/"},
        # A listed origin as a prefix or in the path is not that origin.
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": f"{HELPDESK}.evil.example/"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": f"https://evil.example/{HELPDESK}"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": "http://acme.zendesk.example/"},
        # A browser that sends no Sec-Fetch-* at all: even a listed Referer is not enough.
        {"HTTP_REFERER": f"{HELPDESK}/agent/tickets/1"},
        {},
    ],
    ids=[
        "unlisted-site",
        "no-referer",
        "sibling-subdomain",
        "origin-prefix",
        "origin-in-path",
        "wrong-scheme",
        "no-sec-fetch-listed-referer",
        "no-headers",
    ],
)
def test_an_unlisted_cross_site_link_gets_a_confirmation_and_no_upstream_call(
    staff_client, thredfi_sandbox, headers
) -> None:
    response = staff_client.get("/go", BY_EMAIL, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open this customer" in html
    assert "ada@cobaltkitchens.example" in html  # it names what will be looked up
    assert _upstream(thredfi_sandbox) == 0
    assert LookupEvent.objects.count() == 0
    # The button is a POST with a CSRF token, never a GET another site could fire.
    form = re.search(r'<form method="post" action="/go"[^>]*>(.*?)</form>', html, re.S)
    assert form and 'name="csrfmiddlewaretoken"' in form.group(1)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": f"{HELPDESK}/agent/tickets/1"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": "HTTPS://ACME.zendesk.example:443/"},
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "none"},
    ],
    ids=["listed-helpdesk", "listed-helpdesk-spelled-otherwise", "same-origin", "typed"],
)
def test_a_listed_helpdesk_same_origin_or_typed_link_acts_at_once(
    staff_client, thredfi_sandbox, headers
) -> None:
    response = staff_client.get("/go", BY_EMAIL, **headers)
    assert response.status_code == 302
    assert response["Location"] == DETAIL
    assert thredfi_sandbox.stats()["requests"]["list_customers"] == 1


@pytest.mark.parametrize(
    ("referer", "hint"),
    [(f"{HELPDESK}/agent/tickets/1", False), ("https://other.example/", True)],
    ids=["listed", "unlisted"],
)
def test_the_confirmation_suggests_listing_only_an_origin_not_listed_yet(
    staff_client, thredfi_sandbox, referer, hint
) -> None:
    """An older browser (no Sec-Fetch-*) from a listed helpdesk still confirms, but telling an
    admin to list what is already listed would send them looking for a fault that is not there."""
    response = staff_client.get("/go", BY_EMAIL, HTTP_REFERER=referer)
    html = response.content.decode()
    assert "Open this customer" in html
    assert ("an administrator can add it" in html) is hint


def test_the_confirmation_button_posts_and_then_acts(staff_client, thredfi_sandbox) -> None:
    cross = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": "https://evil.example/"}
    staff_client.get("/go", BY_EMAIL, **cross)
    confirmed = staff_client.post("/go", BY_EMAIL)
    assert confirmed.status_code == 303
    assert confirmed["Location"].startswith("/go?")
    assert _upstream(thredfi_sandbox) == 0
    # The redirect the button leads to: a browser without Sec-Fetch-* still gets through, once.
    followed = staff_client.get(confirmed["Location"])
    assert followed.status_code == 302
    assert followed["Location"] == DETAIL
    again = staff_client.get(confirmed["Location"], **cross)
    assert again.status_code == 200 and "Open this customer" in again.content.decode()


def test_the_confirmation_post_needs_the_csrf_token(
    client, support_user, credential, thredfi_sandbox
) -> None:
    from django.test import Client

    forged = Client(enforce_csrf_checks=True)
    forged.force_login(support_user)
    response = forged.post("/go", BY_EMAIL)
    assert response.status_code == 403
    assert _upstream(thredfi_sandbox) == 0
    assert LookupEvent.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    [{"business": BUSINESS_GBP}, {"business": BUSINESS_GBP, "customer": DETAIL.rstrip("/")[:47]}],
    ids=["business-only", "business-page-as-customer"],
)
def test_a_link_to_a_business_asks_about_the_business_not_a_customer(
    staff_client, thredfi_sandbox, query
) -> None:
    """A link that names no customer opens the business's customer list: the page says so."""
    response = staff_client.get("/go", query, HTTP_SEC_FETCH_SITE="cross-site")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Open this business\u2019s customers?" in html
    assert "Open this customer" not in html
    assert _upstream(thredfi_sandbox) == 0
