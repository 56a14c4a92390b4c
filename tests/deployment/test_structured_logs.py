"""One request id through every log line: the production server's JSON logs, parsed.

The Procfile web command runs as deployed (LOG_FORMAT defaults to json with DEBUG=False); a lookup
that fails upstream must leave JSON lines that all carry the request id the router sent, which
is also in the response's X-Request-ID and on the error page, beside Thredfi's own request id.
"""

from __future__ import annotations

import json
import re
import time

import pytest
import requests

from bench.harness import HTTPS, Dashboard
from sandbox import faults
from sandbox.demo import BUSINESS_GBP

# Starts servers or manage.py processes: left out of `make test-fast`; one xdist group per module.
pytestmark = pytest.mark.processes

ROUTER_ID = "router-7f3a-req-000123"


@pytest.fixture(scope="module")
def server(sandbox, tmp_path_factory, dashboard_template):
    workdir = tmp_path_factory.mktemp("json-logs")
    dashboard = Dashboard(
        thredfi_base_url=sandbox.base_url,
        workdir=workdir,
        extra_env={"WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "4", "LOG_LEVEL": "INFO"},
        log_path=workdir / "server.log",
    )
    dashboard_template.provision(dashboard)
    dashboard.start()
    yield dashboard
    dashboard.stop()


def log_lines(dashboard: Dashboard) -> list[dict]:
    time.sleep(0.3)  # let the access line follow the response
    lines = dashboard.log_path.read_text().splitlines()
    assert lines, "the server logged nothing"
    return [json.loads(line) for line in lines]  # every line is one JSON object


def test_a_failed_lookup_is_one_request_id_through_every_line(server, sandbox) -> None:
    cookie = server.login()
    response = requests.get(
        f"{server.base_url}/customers/{BUSINESS_GBP}/{faults.SERVER_ERROR}/",
        headers={**HTTPS, "Cookie": cookie, "X-Request-ID": ROUTER_ID},
        timeout=10,
    )
    assert response.status_code == 502
    assert response.headers["X-Request-ID"] == ROUTER_ID
    assert f"Dashboard request ID: <code>{ROUTER_ID}</code>" in response.text
    thredfi_id = re.search(r"Thredfi request ID: <code>([^<]+)</code>", response.text).group(1)

    lines = [line for line in log_lines(server) if line.get("request_id") == ROUTER_ID]
    loggers = {line["logger"] for line in lines}
    assert {"customers_ui.thredfi", "customers_ui.core.problem_pages", "gunicorn.access"} <= loggers
    upstream = [line for line in lines if line["logger"] == "customers_ui.thredfi"]
    assert any(line.get("thredfi_request_id") == thredfi_id for line in upstream)
    assert all(
        {"thredfi_method", "thredfi_path", "thredfi_status", "thredfi_duration_ms"} <= set(line)
        for line in upstream
    )
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    access = next(line for line in lines if line["logger"] == "gunicorn.access")
    assert access["status"] == 502
    assert isinstance(access["user_id"], int)
    assert "demo" not in json.dumps(access)  # user id, never the username
    assert "?" not in access["path"]
    # Django's own line about the response is the request's too (it is written after the
    # middleware returns), and a problem page Thredfi caused is not a dashboard ERROR: the
    # service's line already says what failed, so an outage does not flood error reports.
    about_path = [line for line in log_lines(server) if str(faults.SERVER_ERROR) in line["message"]]
    assert about_path
    assert all(line["request_id"] == ROUTER_ID for line in about_path), about_path
    assert not [line for line in lines if line["level"] == "ERROR"], lines


def test_a_request_without_a_usable_id_gets_a_fresh_one(server) -> None:
    for sent in (None, "x" * 500, "two words"):
        headers = {**HTTPS} if sent is None else {**HTTPS, "X-Request-ID": sent}
        response = requests.get(f"{server.base_url}/accounts/login/", headers=headers, timeout=10)
        assigned = response.headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", assigned), assigned
    lines = log_lines(server)
    assert all(len(line.get("request_id", "")) <= 128 for line in lines)
