"""The business directory in Chromium: progress while it fills, suggestions as you type, the
keyboard (/, ?, arrows, Enter), the form without JavaScript, time zones, axe in light and dark.

The first test is the big partner's first visit (the directory fills while it watches); the
others work over whatever is loaded by the time they run.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from sandbox.demo import BIG_ZEPHYR_BUSINESS_ID, BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.browser.conftest import (
    BIG_BUSINESSES,
    BIG_PASSWORD,
    BIG_USER,
    browser_page,
    keep_screenshot,
    log_in,
)

pytestmark = pytest.mark.browser
axe = Axe()
ZEPHYR_LIST = f"/customers/{BIG_ZEPHYR_BUSINESS_ID}/"


@pytest.fixture(scope="module")
def big_reader(browser, big_partner_app) -> Iterator[object]:
    """The big partner's user signed in on one page for the read-only axe scans (see
    demo_reader in tests/browser/conftest.py)."""
    with browser_page(browser, big_partner_app.base_url) as page:
        _log_in(page)
        yield page


@pytest.fixture
def big_page(browser, big_partner_app) -> Iterator[object]:
    with browser_page(browser, big_partner_app.base_url) as page:
        yield page


def _log_in(page) -> None:
    log_in(page, BIG_USER, BIG_PASSWORD)


def _wait_until_loaded(page) -> None:
    """Until the big partner's directory is read whole (Zephyr is its last business): a test
    run alone, or first, meets it half read. Reloads, so it works with JavaScript off too."""
    deadline = time.monotonic() + 60
    page.goto("/")
    while page.locator("[data-directory-status]").count():
        assert time.monotonic() < deadline, "the directory was still loading after 60 s"
        page.wait_for_timeout(250)
        page.goto("/")


def _type_and_wait_for_suggestions(page, text: str) -> None:
    """Types into the focused finder and waits for the suggestions answering the whole text.

    Waiting for the first option is not enough: on a busy box the keys come more than the
    debounce apart, so a list for "l" shows first and the one for "ltd" replaces it (and its
    highlight) a moment later.
    """
    page.keyboard.type(text)
    page.locator(f'#business-suggestions[data-query="{text}"] [role=option]').first.wait_for()


def violations(page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['html'][:160]})"
        for v in results.response["violations"]
    ]


def _active(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_the_first_visit_shows_progress_that_updates_without_a_reload(big_page) -> None:
    page = big_page
    _log_in(page)
    progress = page.locator("progress#directory-progress-bar")
    assert progress.is_visible()
    assert page.get_by_label("Loading this partner's businesses from Thredfi").count() == 1
    text = page.locator("[data-progress-text]").inner_text()
    assert re.match(r"[\d,]+ of 2,500 businesses loaded", text), text
    assert violations(page) == []
    page.evaluate("window.__samePage = true")
    first = int(progress.get_attribute("value"))

    page.wait_for_selector("text=All 2,500 of 2,500 businesses loaded.", timeout=60_000)

    assert page.evaluate("window.__samePage") is True  # updated in place, not reloaded
    assert int(progress.evaluate("p => p.value")) == BIG_BUSINESSES > first
    # Done means done: the label no longer says it is loading.
    assert page.get_by_label("Loading this partner's businesses from Thredfi").count() == 0
    assert page.get_by_label("This partner's businesses from Thredfi").count() == 1
    # Search worked over what was there all along, and now finds the last business too.
    page.goto("/businesses/?q=zephyr")
    assert page.get_by_role("link", name="Zephyr Quarry Ltd").count() == 1


def test_typeahead_chooses_a_business_and_the_customer_search_uses_it(big_page) -> None:
    page = big_page
    _log_in(page)
    _wait_until_loaded(page)
    assert _active(page) == "id_business_q"  # the finder has focus when the page opens

    _type_and_wait_for_suggestions(page, "zeph")
    page.get_by_role("option", name=re.compile("Zephyr Quarry Ltd")).wait_for()
    box = page.get_by_role("combobox", name="Business name or ID")
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Enter")  # the single suggestion is chosen

    assert page.locator("[data-chosen-business-name]").first.inner_text() == (
        "Zephyr Quarry Ltd (GBP)"
    )
    assert page.locator("#id_business").input_value() == BIG_ZEPHYR_BUSINESS_ID
    assert page.locator("#id_paste_business").input_value() == BIG_ZEPHYR_BUSINESS_ID
    assert _active(page) == "id_q"
    page.keyboard.type("a")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{ZEPHYR_LIST}?q=a")
    assert "Zephyr Quarry Ltd" in page.locator("main").inner_text()


def test_arrow_keys_move_through_suggestions_and_escape_closes_them(big_page) -> None:
    page = big_page
    _log_in(page)
    _wait_until_loaded(page)
    box = page.get_by_role("combobox", name="Business name or ID")
    box.focus()
    _type_and_wait_for_suggestions(page, "ltd")
    assert page.get_by_role("option").count() == 8
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "business-option-1"
    second = page.locator("#business-option-1")
    assert second.get_attribute("aria-selected") == "true"
    name = second.locator(".option-name").inner_text()
    keep_screenshot(page, "directory-suggestions.png", full_page=False)
    assert violations(page) == []

    page.keyboard.press("Enter")
    assert name in page.locator("[data-chosen-business-name]").first.inner_text()

    box.focus()
    box.fill("")
    _type_and_wait_for_suggestions(page, "gmbh")
    page.keyboard.press("Escape")
    assert page.locator("#business-suggestions").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"


def test_enter_with_several_suggestions_and_none_chosen_lists_them_all(big_page) -> None:
    page = big_page
    _log_in(page)
    _wait_until_loaded(page)
    _type_and_wait_for_suggestions(page, "ltd")
    page.keyboard.press("Enter")
    page.wait_for_url("**/businesses/?q=ltd")
    assert page.locator("[data-business-results] li").count() == 50


def test_the_finder_works_without_javascript(browser, big_partner_app) -> None:
    with browser_page(browser, big_partner_app.base_url, java_script_enabled=False) as page:
        _log_in(page)
        _wait_until_loaded(page)
        page.get_by_label("Business name or ID").fill("ZEPHYR quar")
        page.get_by_role("button", name="Find").click()
        page.wait_for_url("**/businesses/?q=ZEPHYR+quar")
        page.get_by_role("link", name="Zephyr Quarry Ltd").click()
        page.wait_for_url(f"**{ZEPHYR_LIST}")
        assert page.get_by_role("heading", level=1).inner_text() == "All customers"
        # A pasted business ID goes straight there, no JavaScript needed either.
        page.goto("/")
        page.get_by_label("Business name or ID").fill(BIG_ZEPHYR_BUSINESS_ID)
        page.get_by_role("button", name="Find").click()
        page.wait_for_url(f"**{ZEPHYR_LIST}")


def test_on_the_results_page_arrows_move_and_enter_opens_a_single_result(big_page) -> None:
    page = big_page
    _log_in(page)
    _wait_until_loaded(page)  # run first, it met a half-read directory: no Zephyr yet
    page.goto("/businesses/?q=ltd")
    assert _active(page) == "id_q"
    links = page.locator("[data-business-results] li > a")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links.nth(0).evaluate("a => a.href")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links.nth(1).evaluate("a => a.href")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert _active(page) == "id_q"

    page.goto("/businesses/?q=zephyr")
    assert links.count() == 1
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{ZEPHYR_LIST}")


def test_slash_goes_to_the_search_box_from_any_page_but_not_while_typing(big_page) -> None:
    page = big_page
    _log_in(page)
    page.goto("/businesses/?q=ltd")
    page.locator("h1").click()
    assert _active(page) != "id_q"
    page.keyboard.press("/")
    assert _active(page) == "id_q"
    assert page.locator("#id_q").input_value() == "ltd"  # the "/" was not typed into it

    page.goto("/credentials/")  # no search box here: "/" leads to the home page's
    page.keyboard.press("/")
    page.wait_for_url("**/")
    page.wait_for_function("document.activeElement && document.activeElement.id")
    assert _active(page) == "id_business_q"
    page.keyboard.type("a/b")
    assert page.locator("#id_business_q").input_value() == "a/b"


def test_question_mark_lists_the_shortcuts_in_an_accessible_dialog(big_page) -> None:
    page = big_page
    _log_in(page)
    page.goto(ZEPHYR_LIST)
    page.locator("h1").click()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert dialog.is_visible()
    assert "Go to the search box" in dialog.inner_text()
    assert violations(page) == []
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    # Also from the footer, for people who do not know "?" yet.
    page.get_by_role("button", name="Keyboard shortcuts").click()
    assert dialog.is_visible()
    page.get_by_role("button", name="Close").click()
    assert not dialog.is_visible()


def test_times_are_in_the_browsers_zone_and_the_settings_page_can_change_it(
    browser, big_partner_app
) -> None:
    with browser_page(browser, big_partner_app.base_url, timezone_id="Asia/Tokyo") as page:
        _log_in(page)
        page.goto("/settings/")
        body = page.locator("main").inner_text()
        assert "shown in Asia/Tokyo" in body
        assert re.search(r"\d\d:\d\d JST", body)
        page.get_by_label("Time zone").select_option("Europe/Paris")
        page.get_by_role("button", name="Save").click()
        page.wait_for_selector("text=Your settings are saved.")
        body = page.locator("main").inner_text()
        assert "shown in Europe/Paris" in body
        assert re.search(r"\d\d:\d\d CES?T", body)
        page.get_by_label("Time zone").select_option("")
        page.get_by_role("button", name="Save").click()
        page.wait_for_selector("text=Your settings are saved.")
        assert "shown in Asia/Tokyo" in page.locator("main").inner_text()


BIG_PAGES = {
    "finder": "/",
    "businesses": "/businesses/?q=ltd",
    "no-businesses": "/businesses/?q=no+such+business",
    "settings": "/settings/",
    "customers": ZEPHYR_LIST,
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(BIG_PAGES))
def test_directory_pages_have_no_axe_violations(big_reader, name: str, scheme: str) -> None:
    page = big_reader
    page.emulate_media(color_scheme=scheme)
    page.goto(BIG_PAGES[name])
    assert violations(page) == []
    keep_screenshot(page, f"directory-{name}-{scheme}.png")


DEMO_PAGES = {
    "home": "/",
    "results": f"/customers/{BUSINESS_GBP}/",
    "detail": f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/",
    "credentials": "/credentials/",
}


@pytest.mark.parametrize("name", list(DEMO_PAGES))
def test_the_other_pages_have_no_axe_violations_in_dark_mode(demo_reader, name: str) -> None:
    page = demo_reader
    page.emulate_media(color_scheme="dark")
    page.goto(DEMO_PAGES[name])
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert violations(page) == []
    keep_screenshot(page, f"dark-{name}.png")
