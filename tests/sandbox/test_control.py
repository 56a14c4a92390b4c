"""Control routes, latency injection, the CLI and the test helper itself."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from sandbox import faults
from sandbox.__main__ import banner, parse_args
from sandbox.demo import BUSINESS_GBP, DEMO_API_KEY, DEMO_CUSTOMER_ID, DEMO_PARTNER_UUID
from sandbox.testing import SandboxProcess


def test_health(api) -> None:
    response = api.get("/_sandbox/health")
    assert response.json() == {"status": "ok"}
    assert response.headers["X-Request-ID"].startswith("req_")


def test_stats_count_requests_per_route_and_reset_zeroes_them(start_sandbox) -> None:
    process, client = start_sandbox()
    token = client.business_token(BUSINESS_GBP)  # one partner + one business token request
    client.customers(BUSINESS_GBP, token)
    client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token)
    client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token)
    client.get("/nope")
    client.get("/_sandbox/health")  # control routes are not counted

    stats = process.stats()

    assert stats["partner_token_requests"] == 1
    assert stats["business_token_requests"] == 1
    assert stats["requests"]["list_customers"] == 1
    assert stats["requests"]["get_customer"] == 2
    assert stats["requests"]["list_businesses"] == 0
    assert stats["requests"]["unknown"] == 1
    assert stats["total_requests"] == 6
    process.reset()
    after = process.stats()
    assert after["total_requests"] == 0
    assert set(after["requests"].values()) == {0}
    assert client.customers(BUSINESS_GBP, token).status_code == 200  # reset keeps tokens


def test_unknown_routes_and_methods_answer_in_the_envelope(api, business_tokens) -> None:
    response = api.get("/v2/whatever")
    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found"
    response = api.http.delete(
        api.url(f"/v1/platform/businesses/{BUSINESS_GBP}/customers/{DEMO_CUSTOMER_ID}/"),
        headers={"Authorization": f"Bearer {business_tokens[BUSINESS_GBP]}"},
    )
    assert response.status_code == 405
    assert response.json()["request_id"] == response.headers["X-Request-ID"]


def test_request_ids_are_fresh_per_response(api) -> None:
    ids = {api.get("/_sandbox/health").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5


def test_latency_applies_to_api_routes_only(start_sandbox) -> None:
    _, client = start_sandbox(latency_ms=300)
    token = client.business_token(BUSINESS_GBP)

    def timed(call) -> float:
        started = time.monotonic()
        call()
        return time.monotonic() - started

    assert timed(lambda: client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token)) >= 0.3
    doc_url = client.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token).json()["documents"][0]["url"]
    assert timed(lambda: client.get("/_sandbox/health")) < 0.2
    assert timed(lambda: client.http.get(doc_url)) < 0.2


def test_keep_alive_connection_is_reused(api, business_tokens) -> None:
    token = business_tokens[BUSINESS_GBP]
    first = api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token)
    second = api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token)
    assert first.raw.version == 11 and second.raw.version == 11
    assert first.headers.get("Connection", "keep-alive").lower() == "keep-alive"


def test_cli_flags_and_env_vars(monkeypatch) -> None:
    monkeypatch.setenv("SANDBOX_LATENCY_MS", "75")
    monkeypatch.setenv("SANDBOX_VERBOSE", "1")
    config = parse_args(["--port", "0", "--fault-rate", "0.25", "--token-ttl", "5"])
    assert config.latency_ms == 75
    assert config.verbose is True
    assert config.port == 0
    assert config.fault_rate == 0.25
    assert config.token_ttl == 5
    assert parse_args(["--latency-ms", "10"]).latency_ms == 10  # flags beat env vars
    with pytest.raises(SystemExit):
        parse_args(["--fault-rate", "2"])


def test_banner_prints_credentials_and_fault_ids() -> None:
    text = banner("http://127.0.0.1:8765")
    assert text.splitlines()[0] == "Thredfi sandbox listening on http://127.0.0.1:8765"
    assert DEMO_PARTNER_UUID in text and DEMO_API_KEY in text
    assert all(customer_id in text for customer_id in faults.ALL.values())


@pytest.mark.processes
def test_module_help_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sandbox", "--help"], capture_output=True, text=True, check=True
    )
    assert "--latency-ms" in result.stdout and "SANDBOX_" in result.stdout


@pytest.mark.processes
def test_sandbox_process_starts_fast_and_stops_cleanly() -> None:
    started = time.monotonic()
    process = SandboxProcess().start()
    assert time.monotonic() - started < 3
    assert process.base_url.startswith("http://127.0.0.1:")
    process.stop()
    process.stop()  # idempotent


@pytest.mark.processes
def test_sandbox_process_reports_startup_failures() -> None:
    with pytest.raises(RuntimeError, match="exited"):
        SandboxProcess(extra_args=["--fault-rate", "7"]).start()


def test_stdlib_level_errors_use_the_envelope_too(api) -> None:
    response = api.http.options(api.url("/v1/platform/businesses/"))
    assert response.status_code == 501
    assert response.json()["request_id"] == response.headers["X-Request-ID"]


def test_settings_change_a_running_sandbox_and_reset_restores_them(sbx, api) -> None:
    """One shared sandbox serves tests that need a different hang, TTL or latency."""
    sbx.reset()
    started = api.get("/_sandbox/settings").json()["settings"]
    changed = sbx.configure(hang_seconds=0.5, token_ttl=7, document_ttl=9, latency_ms=1)
    assert changed == {**started, "hang_seconds": 0.5, "token_ttl": 7, "document_ttl": 9,
                       "latency_ms": 1}  # fmt: skip
    assert api.request_partner_token().json()["expires_in"] == 7
    token = api.business_token(BUSINESS_GBP)
    documents = api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token).json()["documents"]
    assert {document["expires_in"] for document in documents} == {9}
    started_hang = time.monotonic()
    assert api.customer(BUSINESS_GBP, faults.HANG, token, timeout=10).status_code == 200
    assert time.monotonic() - started_hang >= 0.5
    sbx.reset()
    assert api.get("/_sandbox/settings").json()["settings"] == started


def test_settings_reject_unknown_names_and_nonsense(api) -> None:
    for bad in ({"port": 1}, {"hang_seconds": -1}, {"token_ttl": 1.5}, {"fault_rate": True},
                {"latency_ms": "5"}, [1]):  # fmt: skip
        response = api.http.post(api.url("/_sandbox/settings"), json=bad, timeout=5)
        assert response.status_code == 400, bad
        assert response.json()["error_code"] == "validation_error"


def test_the_clock_moves_forward_for_tokens_and_reset_sets_it_back(sbx, api) -> None:
    """Tests prove expiry by moving the sandbox's clock, not by sleeping through a TTL."""
    token = api.business_token(BUSINESS_GBP)
    assert api.customers(BUSINESS_GBP, token).status_code == 200
    assert sbx.advance_clock(3601) == 3601  # the tokens live an hour (exp rounded up)
    assert api.customers(BUSINESS_GBP, token).status_code == 401
    assert api.customers(BUSINESS_GBP, api.business_token(BUSINESS_GBP)).status_code == 200
    sbx.reset()
    assert api.get("/_sandbox/clock").json() == {"offset_seconds": 0.0}
    for bad in ({"seconds": 0}, {"seconds": -5}, {"seconds": "5"}, {"seconds": True}, {}):
        response = api.http.post(api.url("/_sandbox/clock"), json=bad, timeout=5)
        assert response.status_code == 400, bad
