"""The outage switch: every /v1/ route hangs, refuses, resets or answers like a dead edge."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from sandbox.__main__ import parse_args
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from sandbox.outage import MODES
from sandbox.testing import SandboxProcess
from tests.sandbox.conftest import ApiClient, assert_error_envelope

HUNG_CLIENTS = 64
CUSTOMER_PATH = f"/v1/platform/businesses/{BUSINESS_GBP}/customers/{DEMO_CUSTOMER_ID}/"


@pytest.fixture
def down(sbx: SandboxProcess) -> tuple[SandboxProcess, ApiClient]:
    """The session's shared sandbox; each test switches outages on it and off again."""
    return sbx, ApiClient(sbx.base_url)


@pytest.fixture
def outage_env(down) -> Iterator[tuple[SandboxProcess, ApiClient, str]]:
    """The shared sandbox with a long hang, back to normal after each test; with a business
    token."""
    process, client = down
    process.set_outage("off")
    token = client.business_token(BUSINESS_GBP)
    process.reset()
    process.configure(hang_seconds=30)
    yield process, client, token
    process.set_outage("off")
    process.reset()


def _raw_request(base_url: str, path: str = CUSTOMER_PATH) -> bytes:
    """Send one HTTP/1.1 request over a bare socket and return every byte the server sends."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def _wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def _outage_stats(process: SandboxProcess) -> dict[str, Any]:
    return process.stats()["outage"]


def test_control_route_reads_and_switches_the_mode(outage_env) -> None:
    process, client, _ = outage_env
    assert client.get("/_sandbox/outage").json() == {
        "mode": "off",
        "hanging_now": 0,
        "modes": ["off", "hang", "refuse", "reset", "503", "502", "504"],
    }
    assert process.set_outage("503") == "off"
    assert process.outage_mode() == "503"
    assert process.set_outage("refuse") == "503"
    assert process.stats()["outage"]["mode"] == "refuse"
    bad = client.http.post(client.url("/_sandbox/outage"), json={"mode": "melt"}, timeout=5)
    assert_error_envelope(bad, 400)
    assert "mode" in bad.json()["detail"]["field_errors"]
    not_json = client.http.post(client.url("/_sandbox/outage"), data=b"hang", timeout=5)
    assert_error_envelope(not_json, 400)
    assert process.outage_mode() == "refuse"


@pytest.mark.parametrize("mode", ["503", "502", "504"])
def test_edge_errors_are_html_pages_without_thredfi_headers(outage_env, mode) -> None:
    process, client, token = outage_env
    process.set_outage(mode)

    response = client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token)
    tokens = client.request_partner_token()  # token routes are behind the same edge

    for answer in (response, tokens):
        assert answer.status_code == int(mode)
        assert answer.headers["Content-Type"] == "text/html"
        assert answer.text.startswith("<html>") and mode in answer.text
        assert "X-Request-ID" not in answer.headers
        assert answer.headers["Server"] == "sandbox-edge"
        with pytest.raises(ValueError):
            answer.json()
    assert _outage_stats(process)["edge_errors"] == 2
    requests_seen = process.stats()["requests"]  # counted on arrival, outage or not
    assert requests_seen["get_customer"] == requests_seen["partner_token"] == 1


def test_control_routes_and_downloads_never_go_down(outage_env) -> None:
    process, client, token = outage_env
    doc_url = client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token).json()["documents"][0]["url"]
    for mode in ("hang", "refuse", "reset", "503"):
        process.set_outage(mode)
        started = time.monotonic()
        assert client.get("/_sandbox/health").json() == {"status": "ok"}
        assert client.http.get(doc_url, timeout=5).content.startswith(b"%PDF")
        assert time.monotonic() - started < 1


def test_refuse_closes_the_connection_without_a_byte(outage_env) -> None:
    process, client, token = outage_env
    process.set_outage("refuse")

    assert _raw_request(process.base_url) == b""
    with pytest.raises(requests.ConnectionError):
        client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token)
    assert _outage_stats(process)["refused"] >= 2


def test_reset_answers_with_a_tcp_rst(outage_env) -> None:
    process, client, token = outage_env
    process.set_outage("reset")

    with pytest.raises(ConnectionResetError):
        _raw_request(process.base_url)
    with pytest.raises(requests.ConnectionError):
        client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token)
    assert _outage_stats(process)["reset"] >= 2


def test_many_hung_lookups_wait_together_and_off_releases_them_all(outage_env) -> None:
    """The resilience benchmark in small: 64 concurrent lookups against a hung Thredfi."""
    process, client, token = outage_env
    process.set_outage("hang")
    headers = {"Authorization": f"Bearer {token}"}

    def lookup() -> tuple[int, float]:
        response = requests.get(client.url(CUSTOMER_PATH), headers=headers, timeout=30)
        return response.status_code, time.monotonic()

    with ThreadPoolExecutor(max_workers=HUNG_CLIENTS) as pool:
        futures = [pool.submit(lookup) for _ in range(HUNG_CLIENTS)]
        _wait_for(lambda: _outage_stats(process)["hanging_now"] == HUNG_CLIENTS)
        assert process.stats()["requests"]["get_customer"] == HUNG_CLIENTS  # seen while hung
        time.sleep(0.3)
        assert not any(future.done() for future in futures)  # nothing sent while hung
        started = time.monotonic()
        assert client.get("/_sandbox/health").status_code == 200  # control routes still serve
        assert time.monotonic() - started < 0.5

        switched = time.monotonic()
        assert process.set_outage("off") == "hang"
        results = [future.result(timeout=10) for future in futures]

    assert {status for status, _ in results} == {200}
    assert max(done for _, done in results) - switched < 2  # released promptly, all at once
    stats = _outage_stats(process)
    assert stats["hung"] == HUNG_CLIENTS
    assert stats["released"] == HUNG_CLIENTS
    assert stats["hanging_now"] == 0
    assert process.stats()["requests"]["get_customer"] == HUNG_CLIENTS  # still once each


def test_hung_clients_that_give_up_are_dropped(outage_env) -> None:
    process, client, token = outage_env
    process.set_outage("hang")
    with pytest.raises(requests.ReadTimeout):
        client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token, timeout=0.3)
    _wait_for(lambda: _outage_stats(process)["hanging_now"] == 0, timeout=3)
    assert _outage_stats(process)["abandoned"] == 1


def test_leaving_hang_for_another_outage_answers_hung_requests_in_that_mode(outage_env) -> None:
    process, client, token = outage_env
    process.set_outage("hang")
    outcome: dict[str, requests.Response] = {}
    waiter = threading.Thread(
        target=lambda: outcome.update(
            response=client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token, timeout=10)
        )
    )
    waiter.start()
    _wait_for(lambda: _outage_stats(process)["hanging_now"] == 1)
    process.set_outage("503")
    waiter.join(timeout=5)
    assert outcome["response"].status_code == 503
    assert outcome["response"].headers["Content-Type"] == "text/html"


def test_hang_gives_up_after_hang_seconds_and_answers_normally(start_sandbox) -> None:
    process, client = start_sandbox(hang_seconds=0.5)
    token = client.business_token(BUSINESS_GBP)
    process.set_outage("hang")
    started = time.monotonic()
    response = client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token, timeout=10)
    assert response.status_code == 200
    assert 0.5 <= time.monotonic() - started < 2.5  # the bound is 5x the hang
    assert process.stats()["outage"]["timed_out"] == 1


@pytest.mark.processes
def test_start_in_an_outage_and_reset_returns_to_it(start_sandbox) -> None:
    process, client = start_sandbox(outage="503", own_process=True)
    assert process.outage_mode() == "503"
    assert client.request_partner_token().status_code == 503
    process.set_outage("off")
    token = client.business_token(BUSINESS_GBP)
    assert client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token).status_code == 200
    process.reset()  # back to the configured mode
    assert process.outage_mode() == "503"
    assert client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token).status_code == 503


def test_outage_flag_and_env_var(monkeypatch) -> None:
    assert parse_args([]).outage == "off"
    assert parse_args(["--outage", "hang"]).outage == "hang"
    monkeypatch.setenv("SANDBOX_OUTAGE", "reset")
    assert parse_args([]).outage == "reset"
    assert parse_args(["--outage", "502"]).outage == "502"  # flags beat env vars
    with pytest.raises(SystemExit):
        parse_args(["--outage", "melt"])
    assert set(MODES) == {"off", "hang", "refuse", "reset", "503", "502", "504"}
