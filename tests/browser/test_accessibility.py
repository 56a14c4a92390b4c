"""axe-core finds no violations on the pages support staff use, at phone and desk widths."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from sandbox import faults
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.browser.conftest import keep_screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "results": f"/customers/{BUSINESS_GBP}/",  # includes long e-mail addresses
    "detail": f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/",
    "error": f"/customers/{BUSINESS_GBP}/{faults.NOT_FOUND}/",
    "credentials": "/credentials/",
}
axe = Axe()


def violations(page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['html'][:120]})"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("width", [375, 1440])
def test_login_page_has_no_violations(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [375, 1440])
@pytest.mark.parametrize("name", list(PAGES))
def test_lookup_pages_have_no_violations_and_fit_the_screen(
    demo_reader, name: str, width: int
) -> None:
    page = demo_reader
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(PAGES[name])
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{name} scrolls sideways at {width}px"
    )
    # Tables must fit their card too, not hide columns behind a sideways scroll.
    overflowing = page.evaluate(
        "[...document.querySelectorAll('.table-scroll')]"
        ".filter(el => el.scrollWidth > el.clientWidth + 1).length"
    )
    assert overflowing == 0, f"a table on {name} is wider than its card at {width}px"
    keep_screenshot(page, f"{name}-{width}.png")
