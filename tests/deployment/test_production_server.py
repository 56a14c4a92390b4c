"""The Procfile's web command, in production mode, serves the app with its security headers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from bench.harness import procfile_command
from sandbox.launcher import Launched, free_port, http_ok
from tests.deployment.test_settings import PRODUCTION_ENV

# Starts servers or manage.py processes: left out of `make test-fast`; one xdist group per module.
pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    database = tmp_path_factory.mktemp("prod") / "db.sqlite3"
    bindir = str(Path(sys.executable).parent)
    env = {
        "PATH": f"{bindir}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        **PRODUCTION_ENV,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{database}",
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }
    subprocess.run(procfile_command("release"), cwd=ROOT, env=env, check=True, timeout=120)
    base = f"http://127.0.0.1:{env['PORT']}"
    with Launched(
        procfile_command("web"), name="production server", env=env, ready=http_ok(f"{base}/healthz")
    ):
        yield base


HTTPS = {"X-Forwarded-Proto": "https"}


def test_login_page_carries_the_security_headers(production_server) -> None:
    response = requests.get(f"{production_server}/accounts/login/", headers=HTTPS, timeout=5)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie


def test_plain_http_is_redirected_to_https(production_server) -> None:
    response = requests.get(
        f"{production_server}/accounts/login/", allow_redirects=False, timeout=5
    )
    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://")


def test_healthz_answers_over_plain_http_for_the_platform(production_server) -> None:
    response = requests.get(f"{production_server}/healthz", timeout=5)
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_css_is_hashed_compressed_and_cached_for_long(production_server) -> None:
    page = requests.get(f"{production_server}/accounts/login/", headers=HTTPS, timeout=5).text
    match = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    assert match, "stylesheet link is not a hashed name"
    css = requests.get(
        f"{production_server}{match.group(1)}",
        headers={**HTTPS, "Accept-Encoding": "gzip"},
        timeout=5,
    )
    assert css.status_code == 200
    assert css.headers["Content-Encoding"] == "gzip"
    max_age = int(re.search(r"max-age=(\d+)", css.headers["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 3600
