"""Fixtures for the sandbox's own tests: real subprocesses, real HTTP (``requests``)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from sandbox.demo import BUSINESSES, DEMO_API_KEY, DEMO_PARTNER_UUID
from sandbox.testing import SandboxProcess

HANG_SECONDS = 0.5


class ApiClient:
    """The Thredfi quickstart, spelled out once so tests read as API calls."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()

    def url(self, path: str) -> str:
        return self.base_url + path

    def request_partner_token(
        self, partner: str = DEMO_PARTNER_UUID, key: str = DEMO_API_KEY, **data: str
    ) -> requests.Response:
        return self.http.post(
            self.url("/v1/platform/oauth2/token/"),
            auth=(partner, key),
            data=data or {"grant_type": "client_credentials"},
            timeout=5,
        )

    def partner_token(self) -> str:
        response = self.request_partner_token()
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def request_business_token(self, business_id: str, token: str) -> requests.Response:
        return self.http.post(
            self.url(f"/v1/platform/{business_id}/oauth2/token/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )

    def business_token(self, business_id: str) -> str:
        response = self.request_business_token(business_id, self.partner_token())
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def get(self, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        kwargs.setdefault("timeout", 5)
        return self.http.get(self.url(path), headers=headers, **kwargs)

    def customers(self, business_id: str, token: str, **params: Any) -> requests.Response:
        return self.get(f"/v1/platform/businesses/{business_id}/customers/", token, params=params)

    def customer(
        self, business_id: str, customer_id: str, token: str, **kwargs: Any
    ) -> requests.Response:
        path = f"/v1/platform/businesses/{business_id}/customers/{customer_id}/"
        return self.get(path, token, **kwargs)

    def all_rows(self, business_id: str, token: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self.customers(business_id, token, page=page, page_size=100).json()
            rows += body["results"]
            if page >= body["page_info"]["total_pages"]:
                return rows
            page += 1


def token_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def pass_time_until(process: SandboxProcess, unix_time: float) -> None:
    """Move the sandbox's clock just past a deadline (its control route), instead of sleeping
    until then. The clock starts each test at the wall clock (reset)."""
    process.advance_clock(max(0.0, unix_time - time.time()) + 0.05)


def assert_error_envelope(response: requests.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) >= {"error_code", "message", "detail", "request_id"}
    assert isinstance(body["error_code"], str) and body["error_code"]
    assert isinstance(body["detail"], dict)
    assert body["request_id"].startswith("req_")
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


@pytest.fixture(scope="session")
def sbx(sandbox: SandboxProcess) -> SandboxProcess:
    """The session's one sandbox (tests/conftest.py), shared with every other directory."""
    return sandbox


@pytest.fixture(autouse=True)
def _sandbox_behaviour(request: pytest.FixtureRequest) -> None:
    """Tests here see the sandbox's defaults with a short hang, so the HANG fault is testable:
    set through the control routes on the shared process rather than by a process of their own."""
    if "sbx" in request.fixturenames:
        shared = request.getfixturevalue("sbx")
        shared.reset()
        shared.configure(hang_seconds=HANG_SECONDS, document_ttl=300)


@pytest.fixture(scope="session")
def api(sbx: SandboxProcess) -> ApiClient:
    return ApiClient(sbx.base_url)


@pytest.fixture(scope="session")
def business_tokens(api: ApiClient) -> dict[str, str]:
    """One business token per demo business (nobody revokes tokens on the shared sandbox)."""
    return {business_id: api.business_token(business_id) for business_id in BUSINESSES}


# What a test may change on the shared sandbox through /_sandbox/settings (sandbox/control.py).
RUNTIME_OPTIONS = frozenset(
    {"hang_seconds", "latency_ms", "jitter_ms", "token_ttl", "document_ttl", "fault_rate"}
)


@pytest.fixture
def start_sandbox(
    sbx: SandboxProcess,
) -> Iterator[Callable[..., tuple[SandboxProcess, ApiClient]]]:
    """A sandbox with the given flags, as the test asks.

    Run-time settings (short TTLs, latency, hang) go to the session's shared sandbox through its
    control routes, and are undone after the test. A process of its own only when the test needs
    one (``own_process=True``: revocation, restarts, a fresh random seed, a start-up flag such
    as ``outage`` or ``big_partner_businesses``); mark such tests ``processes``. Those start
    without a big partner unless asked for: generating 25,000 businesses costs ~0.4 s a start.
    """
    started: list[SandboxProcess] = []

    def start(*, own_process: bool = False, **options: Any) -> tuple[SandboxProcess, ApiClient]:
        if not own_process and set(options) <= RUNTIME_OPTIONS:
            sbx.reset()
            sbx.configure(**options)
            return sbx, ApiClient(sbx.base_url)
        options.setdefault("big_partner_businesses", 0)
        process = SandboxProcess(**options).start()
        started.append(process)
        return process, ApiClient(process.base_url)

    yield start
    sbx.reset()
    for process in started:
        process.stop()
