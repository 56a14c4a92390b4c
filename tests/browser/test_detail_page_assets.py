"""The detail page's one script still does every job the three did (issue #23 merged them):
copy buttons, the browser's time zone cookie, the shortcuts overlay; nothing blocked by the CSP."""

from __future__ import annotations

import pytest

from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.browser.conftest import browser_page, log_in

pytestmark = pytest.mark.browser


def test_detail_page_script_does_all_its_jobs(browser, live_app) -> None:
    problems: list[str] = []
    with browser_page(browser, live_app.base_url, timezone_id="Europe/Paris") as page:
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        log_in(page)
        page.goto(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")
        scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
        assert len(scripts) == 1, scripts
        # Copy buttons appear once JavaScript can make them work.
        page.get_by_role("button", name="Copy Thredfi ID").wait_for(state="visible")
        # The browser's zone reached the server's cookie.
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        assert cookies.get("tz") == "Europe/Paris"
        # "?" opens the shortcuts overlay; Escape closes it.
        page.locator("body").press("?")
        dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
        dialog.wait_for(state="visible")
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        # Styles still apply after the CSS split: the shortcut keys' rule moved into app.css.
        border = page.locator("#shortcuts-dialog kbd").first.evaluate(
            "k => getComputedStyle(k).borderBottomWidth"
        )
        assert border == "2px"
        assert problems == []
