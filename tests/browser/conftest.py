"""Browser tests drive Debian's Chromium against the real app served by gunicorn.

The dashboard runs as it does in production (Procfile web command, DEBUG=False, whitenoise), in
its own process with its own SQLite file, talking to its own sandbox; tests only use the browser.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"
DOCUMENT_TTL = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveApp:
    base_url: str
    sandbox: object


@pytest.fixture(scope="session")
def live_app(tmp_path_factory) -> Iterator[LiveApp]:
    from sandbox.testing import SandboxProcess

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (see .ci/run)")
    sandbox = SandboxProcess(document_ttl=DOCUMENT_TTL, hang_seconds=10).start()
    port = _free_port()
    bindir = str(Path(sys.executable).parent)
    env = {
        "PATH": f"{bindir}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "False",
        "SECRET_KEY": "browser-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        "CREDENTIALS_ENCRYPTION_KEYS": "0YqfS7qv7r1C2o3yVsl4oYy6s3eI1n6l9D8y0f8J0WQ=",
        "THREDFI_BASE_URL": sandbox.base_url,
        "THREDFI_READ_TIMEOUT": "2",
        "THREDFI_TOTAL_TIMEOUT": "3",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('browser') / 'db.sqlite3'}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "8",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, timeout=120)
    subprocess.run([*manage, "seed_demo"], cwd=ROOT, env=env, check=True, timeout=60)
    server = subprocess.Popen(
        [os.path.join(bindir, "gunicorn"), "dashboard.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{base_url}/healthz", timeout=1)
            break
        except requests.ConnectionError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("dashboard did not start") from None
            time.sleep(0.2)
    yield LiveApp(base_url=base_url, sandbox=sandbox)
    server.terminate()
    server.wait(timeout=20)
    sandbox.stop()


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


@pytest.fixture
def page(browser, live_app) -> Iterator[object]:
    # The platform router terminates TLS and says so in X-Forwarded-Proto; do the same here.
    context = browser.new_context(
        base_url=live_app.base_url,
        extra_http_headers={"X-Forwarded-Proto": "https"},
        viewport={"width": 1440, "height": 900},
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, username: str = "demo", password: str = "demo") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


@pytest.fixture
def logged_in_page(page):
    log_in(page)
    return page
