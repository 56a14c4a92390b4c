"""`/go` links clicked in a real browser (Chromium) from a page on another local origin, the way a
helpdesk shows them: a listed helpdesk lands on the customer; an unlisted site gets the
confirmation page and Thredfi is not called; a signed-out click goes through sign-in and on to
the customer; and the detail page's "Copy summary" works from the keyboard alone.

The "helpdesks" are tiny `http.server`s on 127.0.0.2 (a different site from the dashboard's
127.0.0.1, so Chromium sends `Sec-Fetch-Site: cross-site` and a `Referer` with their origin).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest

from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.browser.conftest import CHROMIUM, LiveApp, browser_page, log_in

pytestmark = pytest.mark.browser

HELPDESK_HOST = "127.0.0.2"
LINK = {
    "business": "Harbour & Finch Ltd",
    "customer": "ada@cobaltkitchens.example",
    "ticket": "ZD-1234",
    "via": "Zendesk",
}
DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"


class Helpdesk:
    """A page with one link to the dashboard's /go, served on its own origin."""

    def __init__(self, link: str) -> None:
        body = (
            "<!doctype html><title>Ticket ZD-1234</title><h1>Ticket ZD-1234</h1>"
            f'<p><a id="open" href="{escape(link)}">Open in the customer dashboard</a></p>'
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((HELPDESK_HOST, 0), Handler)
        self.origin = f"http://{HELPDESK_HOST}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Helpdesk:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def go_app(
    tmp_path_factory, dashboard_template, sandbox
) -> Iterator[tuple[LiveApp, Helpdesk, Helpdesk]]:
    """A dashboard whose HELPDESK_ORIGINS lists one of two helpdesk pages, both linking to it."""
    from pathlib import Path

    from bench.harness import Dashboard, free_port

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (see .ci/run)")
    port = free_port()
    link = f"http://127.0.0.1:{port}/go?{urlencode(LINK)}"
    with Helpdesk(link) as listed, Helpdesk(link) as unlisted:  # on the session's sandbox
        dashboard = Dashboard(
            thredfi_base_url=sandbox.base_url,
            workdir=tmp_path_factory.mktemp("browser-go"),
            port=port,
            extra_env={
                "WEB_CONCURRENCY": "1",
                "GUNICORN_THREADS": "4",
                "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
                "HELPDESK_ORIGINS": listed.origin,
                "HELPDESK_TICKET_URL": f"{listed.origin}/agent/tickets/{{ticket}}",
            },
        )
        dashboard_template.provision(dashboard)
        dashboard.start()
        try:
            yield LiveApp(base_url=dashboard.base_url, sandbox=sandbox), listed, unlisted
        finally:
            dashboard.stop()


@pytest.fixture
def go_page(browser, go_app) -> Iterator[object]:
    app = go_app[0]
    with browser_page(browser, app.base_url) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app.base_url)
        yield page


def _click_from(page, helpdesk: Helpdesk) -> None:
    page.goto(helpdesk.origin + "/")
    page.locator("#open").click()
    page.wait_for_load_state()


def test_a_link_from_a_listed_helpdesk_lands_on_the_customer(go_page, go_app) -> None:
    app, listed, _ = go_app
    log_in(go_page)
    app.sandbox.reset()
    _click_from(go_page, listed)
    go_page.wait_for_url(f"**{DETAIL}")
    assert go_page.get_by_role("heading", level=1).inner_text().startswith("Cobalt Kitchens Ltd")
    ticket = go_page.get_by_role("link", name="ZD-1234")
    assert ticket.get_attribute("href") == f"{listed.origin}/agent/tickets/ZD-1234"
    requests = app.sandbox.stats()["requests"]
    assert (requests["list_customers"], requests["get_customer"]) == (1, 1)


def test_a_link_from_an_unlisted_site_asks_first_and_calls_nothing(go_page, go_app) -> None:
    app, _, unlisted = go_app
    log_in(go_page)
    app.sandbox.reset()
    _click_from(go_page, unlisted)
    go_page.wait_for_url("**/go?**")
    assert go_page.get_by_role("heading", level=1).inner_text() == "Open this customer?"
    assert unlisted.origin in go_page.locator("main").inner_text()
    assert app.sandbox.stats()["total_requests"] == 0

    go_page.get_by_role("button", name="Open this customer").click()
    go_page.wait_for_url(f"**{DETAIL}")
    assert go_page.get_by_text("Opened from ticket").is_visible()


def test_a_signed_out_click_goes_through_sign_in_to_the_customer(go_page, go_app) -> None:
    app, listed, _ = go_app
    app.sandbox.reset()
    _click_from(go_page, listed)
    go_page.wait_for_url("**/accounts/login/?next=**")
    assert app.sandbox.stats()["total_requests"] == 0
    go_page.get_by_label("Username").fill("demo")
    go_page.get_by_label("Password").fill("demo")
    go_page.get_by_role("button", name="Log in").click()
    go_page.wait_for_url(f"**{DETAIL}")
    assert go_page.get_by_text("Opened from ticket").is_visible()


def test_copy_summary_from_the_keyboard_is_announced(go_page, go_app) -> None:
    log_in(go_page)
    go_page.goto(DETAIL)
    from playwright.sync_api import expect

    go_page.locator("body").press("c")
    status = go_page.locator("#copy-announcement")
    expect(status).to_have_text("Summary copied to the clipboard")
    assert status.get_attribute("aria-live") == "polite"
    copied = go_page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Customer: Cobalt Kitchens Ltd\n")
    assert f"Dashboard: https://127.0.0.1:{go_app[0].base_url.rsplit(':', 1)[1]}{DETAIL}" in copied

    # The /go link button, focused and pressed with Enter (no mouse).
    button = go_page.get_by_role("button", name="Copy a /go link")
    button.focus()
    go_page.keyboard.press("Enter")
    expect(status).to_have_text("Link copied to the clipboard")
    link = go_page.evaluate("navigator.clipboard.readText()")
    assert f"/go?business={BUSINESS_GBP}&customer={DEMO_CUSTOMER_ID}" in link


@pytest.mark.parametrize("width", [375, 1440])
def test_go_pages_have_no_accessibility_violations_and_fit_the_screen(
    go_page, go_app, width: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    _, _, unlisted = go_app
    axe = Axe()
    log_in(go_page)
    go_page.set_viewport_size({"width": width, "height": 900})
    pages = {
        "confirmation": lambda: _click_from(go_page, unlisted),
        "several": lambda: go_page.goto(f"/go?business={BUSINESS_GBP}&customer=Ltd&ticket=ZD-9"),
        "detail": lambda: go_page.goto(DETAIL),  # opened from ticket ZD-9 (the list's)
    }
    for name, open_page in pages.items():
        open_page()
        go_page.wait_for_load_state()
        found = [
            f"{v['id']}: {v['help']} ({v['nodes'][0]['html'][:120]})"
            for v in axe.run(go_page).response["violations"]
        ]
        assert found == [], name
        assert go_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            f"{name} scrolls sideways at {width}px"
        )
