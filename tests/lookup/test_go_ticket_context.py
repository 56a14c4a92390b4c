"""The ticket is the reason, kept: on the audit rows of the navigation and the customer's next
lookups for TICKET_CONTEXT_MINUTES, on the detail page, in the audit admin and its CSV export."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from customers_ui.lookup import tickets
from customers_ui.models import LookupEvent
from sandbox.demo import (
    BUSINESS_EUR,
    BUSINESS_GBP,
    DEMO_CUSTOMER_ID,
    DEMO_INVOICE_DOCUMENT_ID,
    PENDING_CUSTOMER_ID,
)

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
DOWNLOAD = f"{DETAIL}documents/{DEMO_INVOICE_DOCUMENT_ID}/"
ACT = {"HTTP_SEC_FETCH_SITE": "none"}
TICKET = {"ticket": "ZD-1234", "via": "Zendesk"}


class Clock:
    """Stands in for time.time in `tickets`: tests move it instead of sleeping."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(tickets, "clock", fake)
    return fake


def _rows() -> list[tuple[str, str, str, str]]:
    return [
        (e.action, str(e.customer_id or ""), e.ticket_ref, e.via)
        for e in LookupEvent.objects.order_by("created_at")
    ]


def test_the_search_view_and_download_of_the_navigation_carry_the_ticket(
    staff_client, thredfi_sandbox, clock
) -> None:
    response = staff_client.get(
        "/go", {"business": BUSINESS_GBP, "customer": "CUST-0001", **TICKET}, **ACT
    )
    staff_client.get(response["Location"])
    staff_client.get(DOWNLOAD)
    assert _rows() == [
        ("search", "", "ZD-1234", "Zendesk"),
        ("view", DEMO_CUSTOMER_ID, "ZD-1234", "Zendesk"),
        ("download", DEMO_CUSTOMER_ID, "ZD-1234", "Zendesk"),
    ]


def test_the_ticket_stays_with_that_customer_for_the_configured_minutes(
    staff_client, thredfi_sandbox, clock, settings
) -> None:
    settings.TICKET_CONTEXT_MINUTES = 30
    staff_client.get(
        "/go", {"business": BUSINESS_GBP, "customer": DEMO_CUSTOMER_ID, **TICKET}, **ACT
    )
    staff_client.get(DETAIL)
    clock.now += 29 * 60
    staff_client.get(DETAIL)
    other = f"/customers/{BUSINESS_GBP}/{PENDING_CUSTOMER_ID}/"
    staff_client.get(other)  # another customer: not that ticket's
    clock.now += 2 * 60
    staff_client.get(DETAIL)  # 31 minutes on: no longer
    assert [row[2] for row in _rows()] == ["ZD-1234", "ZD-1234", "", ""]


def test_a_ticket_ending_on_a_list_goes_with_the_customer_picked_there(
    staff_client, thredfi_sandbox, clock
) -> None:
    listed = staff_client.get("/go", {"business": BUSINESS_GBP, "customer": "Ltd", **TICKET}, **ACT)
    assert listed.status_code == 200
    staff_client.get(f"/customers/{BUSINESS_GBP}/", {"q": "Ltd", "page": 2})  # paging on
    staff_client.get(DETAIL)  # the one they picked
    staff_client.get(f"/customers/{BUSINESS_EUR}/", {"q": "x"})  # another business: not this
    assert [(action, ticket) for action, _, ticket, _ in _rows()] == [
        ("search", "ZD-1234"),
        ("search", "ZD-1234"),
        ("view", "ZD-1234"),
        ("search", ""),
    ]


def test_a_pending_ticket_goes_only_with_the_first_customer_opened(
    staff_client, thredfi_sandbox, clock
) -> None:
    other = f"/customers/{BUSINESS_GBP}/{PENDING_CUSTOMER_ID}/"
    staff_client.get("/go", {"business": BUSINESS_GBP, "customer": "Ltd", **TICKET}, **ACT)
    staff_client.get(DETAIL)  # the one they picked: the ticket is about this customer now
    staff_client.get(other)  # another customer of the business: not the ticket's
    staff_client.get(DETAIL)  # the picked one again: still the ticket's
    assert [(action, customer, ticket) for action, customer, ticket, _ in _rows()] == [
        ("search", "", "ZD-1234"),
        ("view", DEMO_CUSTOMER_ID, "ZD-1234"),
        ("view", PENDING_CUSTOMER_ID, ""),
        ("view", DEMO_CUSTOMER_ID, "ZD-1234"),
    ]


def test_a_link_without_a_ticket_ends_the_pending_one_of_its_business(
    staff_client, thredfi_sandbox, clock
) -> None:
    staff_client.get("/go", {"business": BUSINESS_GBP, **TICKET}, **ACT)  # ends on the list
    staff_client.get("/go", {"business": BUSINESS_GBP, "customer": DEMO_CUSTOMER_ID}, **ACT)
    staff_client.get(DETAIL)
    assert [(action, ticket) for action, _, ticket, _ in _rows()] == [("view", "")]


def test_lookups_without_a_link_carry_no_ticket(staff_client, thredfi_sandbox) -> None:
    staff_client.get(DETAIL)
    assert _rows() == [("view", DEMO_CUSTOMER_ID, "", "")]


def test_the_detail_page_says_which_ticket_it_was_opened_from(
    staff_client, thredfi_sandbox, settings
) -> None:
    settings.HELPDESK_TICKET_URL = "https://acme.zendesk.example/agent/tickets/{ticket}"
    staff_client.get(
        "/go", {"business": BUSINESS_GBP, "customer": DEMO_CUSTOMER_ID, **TICKET}, **ACT
    )
    html = staff_client.get(DETAIL).content.decode()
    assert re.search(
        r'Opened from ticket <a href="https://acme.zendesk.example/agent/tickets/ZD-1234"[^>]*>'
        r"ZD-1234</a>",
        html,
    )
    assert "(Zendesk)" in html


@pytest.mark.parametrize(
    ("template", "ref", "expected"),
    [
        ("https://h.example/t/{ticket}", "a/b?c", "https://h.example/t/a%2Fb%3Fc"),
        ("javascript:alert(1)//{ticket}", "1", ""),
        ("//h.example/{ticket}", "1", ""),
        ("https://h.example/no-placeholder", "1", ""),
        ("", "1", ""),
    ],
)
def test_ticket_links_are_quoted_and_http_only(settings, template, ref, expected) -> None:
    from customers_ui.core.ticket_links import ticket_url

    settings.HELPDESK_TICKET_URL = template
    assert ticket_url(ref) == expected


def test_without_a_ticket_url_the_reference_is_plain_text(staff_client, thredfi_sandbox) -> None:
    staff_client.get(
        "/go", {"business": BUSINESS_GBP, "customer": DEMO_CUSTOMER_ID, **TICKET}, **ACT
    )
    html = staff_client.get(DETAIL).content.decode()
    assert "Opened from ticket <strong>ZD-1234</strong>" in html


# -- the audit admin and its CSV export --------------------------------------------------------


@pytest.fixture
def admin_client_(django_user_model) -> Client:
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-admin-12345")
    client = Client()
    client.force_login(admin)
    return client


def test_the_ticket_is_in_the_audit_admin_and_the_csv_export(
    staff_client, thredfi_sandbox, admin_client_, settings
) -> None:
    settings.HELPDESK_TICKET_URL = "https://acme.zendesk.example/agent/tickets/{ticket}"
    staff_client.get(
        "/go", {"business": BUSINESS_GBP, "customer": DEMO_CUSTOMER_ID, **TICKET}, **ACT
    )
    staff_client.get(DETAIL)

    changelist = admin_client_.get(reverse("admin:customers_ui_lookupevent_changelist"))
    assert 'href="https://acme.zendesk.example/agent/tickets/ZD-1234"' in changelist.text
    found = admin_client_.get(
        reverse("admin:customers_ui_lookupevent_changelist"), {"q": "ZD-1234"}
    )
    assert "ZD-1234" in found.text

    response = admin_client_.get(reverse("admin:customers_ui_lookupevent_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, row = rows[0], rows[1]
    assert row[header.index("ticket_ref")] == "ZD-1234"
    assert row[header.index("via")] == "Zendesk"
    assert row[header.index("ticket_url")] == "https://acme.zendesk.example/agent/tickets/ZD-1234"
    assert row[header.index("action")] == "view"


def test_a_formula_ticket_is_defused_in_the_export(
    staff_client, thredfi_sandbox, admin_client_, settings
) -> None:
    settings.HELPDESK_TICKET_URL = "https://h.example/{ticket}"
    staff_client.get(
        "/go", {"business": BUSINESS_GBP, "customer": DEMO_CUSTOMER_ID, "ticket": "=1+2"}, **ACT
    )
    staff_client.get(DETAIL)
    response = admin_client_.get(reverse("admin:customers_ui_lookupevent_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, row = rows[0], rows[1]
    assert row[header.index("ticket_ref")] == "'=1+2"
    assert row[header.index("ticket_url")] == "https://h.example/%3D1%2B2"
