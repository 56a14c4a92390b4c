"""A support shift in a real browser: log in, find a customer, read it, download, hit an error."""

from __future__ import annotations

import re

import pytest

from sandbox import faults
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.browser.conftest import DOCUMENT_TTL, keep_screenshot, log_in

pytestmark = pytest.mark.browser


def test_find_read_and_download(page, live_app) -> None:
    log_in(page, form=True)  # the journey starts at the login form
    page.get_by_label("Business", exact=True).select_option(BUSINESS_GBP)
    page.get_by_label("Name, email, reference or external ID").fill("Cobalt")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Cobalt Kitchens Ltd").click()

    page.wait_for_url(f"**/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Cobalt Kitchens Ltd")
    body = page.locator("main").inner_text()
    assert "£1,234.56" in body
    assert "£5,000.00" in body
    assert "Net 30" in body
    keep_screenshot(page, "detail.png")

    # The page has been open longer than the presigned URLs it was given live (on the sandbox's
    # clock, moved through its control route rather than slept).
    live_app.sandbox.advance_clock(DOCUMENT_TTL + 1)
    link = page.locator("a[href*='/documents/']").first
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    content = download.path().read_bytes()
    assert content.startswith(b"%PDF") or b"," in content
    assert download.suggested_filename


def test_a_fault_shows_a_clear_page_with_the_request_id(logged_in_page) -> None:
    page = logged_in_page
    response = page.goto(f"/customers/{BUSINESS_GBP}/{faults.SERVER_ERROR}/")
    assert response.status == 502
    assert "Thredfi had a problem" in page.get_by_role("heading", level=1).inner_text()
    assert re.search(r"req_[0-9a-zA-Z]+", page.locator(".request-id").inner_text())
    page.get_by_role("link", name="Back to lookup").click()
    page.wait_for_url("**/")


def test_recent_lookups_and_paste_box(logged_in_page) -> None:
    page = logged_in_page
    page.get_by_label("Customer ID, business/customer IDs, or a link containing them").fill(
        f"https://example.invalid/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
    )
    page.get_by_role("button", name="Open").click()
    page.wait_for_url(f"**/{DEMO_CUSTOMER_ID}/")
    page.goto("/")
    recent = page.get_by_role("region", name="My recent lookups")
    assert "Cobalt Kitchens Ltd" in recent.inner_text()
    keep_screenshot(page, "home.png")


def test_hostile_customer_data_is_inert(logged_in_page) -> None:
    page = logged_in_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(f"/customers/{BUSINESS_GBP}/{faults.HOSTILE}/")
    assert response.status == 200
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.locator("a[href^='javascript:'], a[href^='data:']").count() == 0
    # Still usable: the raw JSON disclosure opens and the page can be left.
    page.get_by_text("Raw JSON (for escalations)").click()
    assert page.locator("details[open]").count() == 1
    assert page.evaluate("window.__pwned") is None
    page.get_by_role("link", name="Lookup", exact=True).first.click()
    page.wait_for_url("**/")
