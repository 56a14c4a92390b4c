"""The detail page's "Copy summary" text (LOOKUP_SUMMARY_TEMPLATE) and "Copy a /go link"."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from sandbox import faults
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"


def _summary(html: str) -> str:
    match = re.search(r'<textarea id="customer-summary"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, "no summary on the page"
    return html_lib.unescape(match.group(1))


def _go_link(html: str) -> str:
    match = re.search(r'<input type="text" id="go-link"[^>]*value="([^"]*)"', html)
    assert match, "no /go link on the page"
    return html_lib.unescape(match.group(1))


def test_the_default_summary_has_what_a_ticket_reply_needs(staff_client) -> None:
    summary = _summary(staff_client.get(DETAIL).content.decode())
    assert summary == (
        "Customer: Cobalt Kitchens Ltd\n"
        "Business: Harbour & Finch Ltd\n"
        "Status: Active\n"
        "Outstanding balance: £1,234.56\n"
        "Credit limit: £5,000.00\n"
        "Available credit: £3,765.44\n"
        "Reference: CUST-0001\n"
        f"Dashboard: http://testserver{DETAIL}"
    )


def test_a_configured_layout_is_used_and_not_escaped(staff_client, settings) -> None:
    settings.LOOKUP_SUMMARY_TEMPLATE = "{{ name }} <{{ email }}> owes {{ outstanding_balance }}"
    summary = _summary(staff_client.get(DETAIL).content.decode())
    assert summary == "Cobalt Kitchens Ltd <ada@cobaltkitchens.example> owes £1,234.56"


@pytest.mark.parametrize(
    "template",
    [
        "{% if %}",  # does not compile
        "{{ name|no_such_filter }}",
        "{% load i18n %}{{ name }}",  # no libraries
        '{% include "base.html" %}',  # no loaders: no files
        '{% extends "/etc/passwd" %}',
    ],
)
def test_a_broken_or_file_reading_layout_falls_back_to_the_default(
    staff_client, settings, template
) -> None:
    settings.LOOKUP_SUMMARY_TEMPLATE = template
    response = staff_client.get(DETAIL)
    assert response.status_code == 200
    summary = _summary(response.content.decode())
    assert summary.startswith("Customer: Cobalt Kitchens Ltd\n")
    assert "root:" not in summary


def test_hostile_upstream_text_in_the_summary_is_escaped_on_the_page(staff_client) -> None:
    response = staff_client.get(f"/customers/{BUSINESS_GBP}/{faults.HOSTILE}/")
    assert response.status_code == 200
    html = response.content.decode()
    raw = re.search(r'<textarea id="customer-summary"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "<script" not in raw and "<img" not in raw


def test_the_go_link_opens_this_customer(staff_client, thredfi_sandbox) -> None:
    link = _go_link(staff_client.get(DETAIL).content.decode())
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "testserver", "/go")
    assert parse_qs(parts.query) == {"business": [BUSINESS_GBP], "customer": [DEMO_CUSTOMER_ID]}
    response = staff_client.get(f"/go?{parts.query}", HTTP_SEC_FETCH_SITE="none")
    assert response["Location"] == DETAIL


def test_the_buttons_are_wired_through_a_static_script(staff_client) -> None:
    html = staff_client.get(DETAIL).content.decode()
    assert re.search(r'<script src="/static/js/app\.[0-9a-f]+\.js" defer>', html)  # copy buttons
    assert 'data-copy-target="customer-summary"' in html
    assert 'aria-keyshortcuts="c"' in html
    assert 'aria-live="polite"' in html
    assert "<script>" not in html  # nothing inline (CSP)


def test_settings_that_would_do_nothing_are_warned_about(settings) -> None:
    from customers_ui.checks import check_helpdesk_links

    settings.HELPDESK_ORIGINS = ["https://ok.example", "https://*.zendesk.com", "acme.example",
                                 "https://x.example/agent"]  # fmt: skip
    settings.HELPDESK_TICKET_URL = "javascript:alert({ticket})"
    settings.LOOKUP_SUMMARY_TEMPLATE = "{% if %}"
    settings.TICKET_CONTEXT_MINUTES = 0  # not even the link's own view would carry its ticket
    ids = [message.id for message in check_helpdesk_links()]
    assert ids == ["customers_ui.W010"] * 3 + [f"customers_ui.W01{n}" for n in (1, 2, 3)]

    settings.HELPDESK_ORIGINS = ["https://acme.zendesk.com", "http://127.0.0.1:8001/"]
    settings.HELPDESK_TICKET_URL = "https://acme.zendesk.com/agent/tickets/{ticket}"
    settings.LOOKUP_SUMMARY_TEMPLATE = "{{ name }}"
    settings.TICKET_CONTEXT_MINUTES = 1
    assert check_helpdesk_links() == []


def test_control_characters_in_a_layout_leave_the_summary(staff_client, settings) -> None:
    """Only line breaks and tabs survive; the printable text around the rest stays as it was."""
    settings.LOOKUP_SUMMARY_TEMPLATE = "{{ name }}\x07\tx\u2028y\x1b[31m\nz\r\n"
    summary = _summary(staff_client.get(DETAIL).content.decode())
    assert summary == "Cobalt Kitchens Ltd\txy[31m\nz"
