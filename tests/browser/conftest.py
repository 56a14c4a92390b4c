"""Browser tests drive Debian's Chromium against the real app served by gunicorn.

The dashboard runs as it does in production (Procfile web command, DEBUG=False, whitenoise), in
its own process with its own SQLite file, talking to its own sandbox; tests only use the browser.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.dashboards import BIG_PASSWORD as TEMPLATE_BIG_PASSWORD
from tests.dashboards import BIG_USER as TEMPLATE_BIG_USER

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"
DOCUMENT_TTL = 2
HANG_SECONDS = 10
BIG_LATENCY_MS = 100
SESSION_COOKIE = "sessionid"  # Django's default SESSION_COOKIE_NAME, which the settings keep
# Screenshots of the pages the tests visit are for a person to look at (ARTIFACTS): ~0.25 s of
# Chromium CPU each, ~30 a run, and no test reads them. So they are taken when asked for
# (BROWSER_SCREENSHOTS=1, or UPDATE_SCREENSHOTS=1 to refresh the README's pictures) and for
# every browser test that fails.
SCREENSHOTS_WANTED = bool(
    os.environ.get("BROWSER_SCREENSHOTS") or os.environ.get("UPDATE_SCREENSHOTS")
)


@dataclass
class LiveApp:
    base_url: str
    sandbox: object


# The session-scoped live dashboards by base URL: `log_in` copies signed-in sessions on these.
_LIVE_DASHBOARDS: dict[str, object] = {}
# (base URL, username) -> the cookies of a signed-in session no browser uses (a pristine copy).
_SIGNED_IN: dict[tuple[str, str], list[dict]] = {}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, dashboard_template, sandbox) -> Iterator[LiveApp]:
    """The dashboard under gunicorn on the session's sandbox (short document TTL and a hang
    set per test by `_sandbox_behaviour`)."""
    from bench.harness import Dashboard

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (see .ci/run)")
    dashboard = Dashboard(
        thredfi_base_url=sandbox.base_url,
        workdir=tmp_path_factory.mktemp("browser"),
        extra_env={
            "THREDFI_READ_TIMEOUT": "2",
            "THREDFI_TOTAL_TIMEOUT": "3",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "8",
        },
    )
    # The browser talks plain HTTP to loopback while saying "https" like the router would.
    dashboard.extra_env["CSRF_TRUSTED_ORIGINS"] = f"http://127.0.0.1:{dashboard.port}"
    dashboard_template.provision(dashboard)
    dashboard.start()
    _LIVE_DASHBOARDS[dashboard.base_url] = dashboard
    try:
        yield LiveApp(base_url=dashboard.base_url, sandbox=sandbox)
    finally:
        _LIVE_DASHBOARDS.pop(dashboard.base_url, None)
        dashboard.stop()


# The big-partner dashboard's user (seeded in the template) and the size of its partner
# (tests/browser/test_directory.py).
BIG_USER, BIG_PASSWORD, BIG_BUSINESSES = TEMPLATE_BIG_USER, TEMPLATE_BIG_PASSWORD, 2_500


@pytest.fixture(scope="session")
def big_partner_app(tmp_path_factory, dashboard_template, big_sandbox) -> Iterator[LiveApp]:
    """A dashboard whose user "zoe" holds the sandbox's big partner (2,500 businesses) as her
    default credential. Pages take 100 ms upstream and the directory reads one at a time, so its
    first fill lasts a few seconds: long enough to watch the progress bar."""
    from bench.harness import Dashboard

    sandbox = big_sandbox  # 2,500 businesses; the latency is set per test (_sandbox_behaviour)
    dashboard = Dashboard(
        thredfi_base_url=sandbox.base_url,
        workdir=tmp_path_factory.mktemp("browser-big"),
        extra_env={"WEB_CONCURRENCY": "1", "BUSINESS_DIRECTORY_FETCHES": "1"},
    )
    dashboard.extra_env["CSRF_TRUSTED_ORIGINS"] = f"http://127.0.0.1:{dashboard.port}"
    dashboard_template.provision(dashboard)  # zoe holds the big partner there
    dashboard.start()
    _LIVE_DASHBOARDS[dashboard.base_url] = dashboard
    try:
        yield LiveApp(base_url=dashboard.base_url, sandbox=sandbox)
    finally:
        _LIVE_DASHBOARDS.pop(dashboard.base_url, None)
        dashboard.stop()


@pytest.fixture(autouse=True)
def _sandbox_behaviour(request: pytest.FixtureRequest) -> None:
    """The shared sandboxes as the live apps need them, set through their control routes at
    the start of every browser test (other tests reset them between)."""
    if "live_app" in request.fixturenames:
        shared = request.getfixturevalue("sandbox")
        shared.reset()
        shared.configure(document_ttl=DOCUMENT_TTL, hang_seconds=HANG_SECONDS)
    if "big_partner_app" in request.fixturenames:
        big = request.getfixturevalue("big_sandbox")
        big.reset()
        big.configure(latency_ms=BIG_LATENCY_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@contextmanager
def browser_page(browser, base_url: str, **options: object) -> Iterator[object]:
    """A page in a context of its own on one live dashboard, with the suite's timeout.

    The platform router terminates TLS and says so in X-Forwarded-Proto; the page does the same.
    `options` go to `new_context` (viewport, time zone, JavaScript off...).
    """
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(
        base_url=base_url, extra_http_headers={"X-Forwarded-Proto": "https"}, **options
    )
    page = context.new_page()
    page.dashboard_base_url = base_url  # for log_in
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, live_app) -> Iterator[object]:
    with browser_page(
        browser, live_app.base_url, viewport={"width": 1440, "height": 900}, accept_downloads=True
    ) as page:
        yield page


def log_in(page, username: str = "demo", password: str = "demo", *, form: bool = False) -> None:
    """Sign in as ``username`` and land on the home page.

    On the session-wide live dashboards the login form runs once per user; later tests get a
    session of their own copied from that sign-in (a new key, the same signed data), so each
    starts signed in and isolated without another form round trip and 0.4 s of PBKDF2 on a
    server the other worker shares a core with. ``form=True`` always uses the form.
    """
    base_url = getattr(page, "dashboard_base_url", "")
    dashboard = _LIVE_DASHBOARDS.get(base_url)
    pristine = _SIGNED_IN.get((base_url, username))
    if form or dashboard is None or pristine is None:
        _log_in_with_the_form(page, username, password)
        if dashboard is not None and (base_url, username) not in _SIGNED_IN:
            _SIGNED_IN[(base_url, username)] = _with_session(
                page.context.cookies(), lambda key: _session_copied(dashboard, key)
            )
        return
    page.context.add_cookies(_with_session(pristine, lambda key: _session_copied(dashboard, key)))
    page.goto("/")
    assert urlsplit(page.url).path == "/", f"the copied session of {username} was refused"


def _log_in_with_the_form(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def _with_session(cookies: list[dict], copy: Callable[[str], str]) -> list[dict]:
    """``cookies`` with the session cookie's key replaced by ``copy(key)``."""
    return [
        {**cookie, "value": copy(cookie["value"])} if cookie["name"] == SESSION_COOKIE else cookie
        for cookie in cookies
    ]


def _session_copied(dashboard, session_key: str) -> str:
    """A copy of a stored session under a new random key, in the dashboard's own database.
    Session data is signed without its key, so the copy is as valid as the original."""
    new_key = secrets.token_hex(16)
    copy = (
        "INSERT INTO django_session (session_key, session_data, expire_date) "
        "SELECT {p}, session_data, expire_date FROM django_session WHERE session_key = {p}"
    )
    url = dashboard.env["DATABASE_URL"]
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            copied = connection.execute(copy.format(p="%s"), (new_key, session_key)).rowcount
    else:
        database = closing(sqlite3.connect(urlsplit(url).path, timeout=10))
        with database as connection, connection:  # closed, and committed
            copied = connection.execute(copy.format(p="?"), (new_key, session_key)).rowcount
    assert copied == 1, "the signed-in session to copy is gone"
    return new_key


@pytest.fixture(scope="module")
def demo_reader(browser, live_app) -> Iterator[object]:
    """One page signed in as "demo" for a module's tests that only navigate and read (axe
    scans, screenshots): a new context and its renderer are the dearest thing a browser test
    makes (~0.8 s of Chromium CPU), and pages that are only read need no isolation from each
    other. Each test sets the viewport and colour scheme it checks."""
    with browser_page(browser, live_app.base_url, viewport={"width": 1440, "height": 900}) as page:
        log_in(page)
        yield page


def keep_screenshot(page, name: str, *, full_page: bool = True) -> Path | None:
    """Save a screenshot of ``page`` as ARTIFACTS/``name`` when screenshots are wanted."""
    if not SCREENSHOTS_WANTED:
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[object]:
    """A failed browser test leaves a screenshot of each page it used (failed-<test>-<n>.png)."""
    report = yield
    if report.when == "call" and report.failed:
        values = getattr(item, "funcargs", {}).values()  # `page` and `logged_in_page` are one
        pages = list({id(v): v for v in values if hasattr(v, "screenshot")}.values())
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.name)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(pages):
            try:
                page.screenshot(path=str(ARTIFACTS / f"failed-{name}-{number}.png"), full_page=True)
            except Exception as error:  # a closed page or a dead browser: the report still stands
                report.sections.append(("screenshot", f"no screenshot of page {number}: {error}"))
    return report


@pytest.fixture
def logged_in_page(page):
    log_in(page)
    return page
