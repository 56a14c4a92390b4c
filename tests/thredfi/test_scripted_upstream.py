"""Behaviour the sandbox cannot provoke, against a tiny scripted HTTP server (still real HTTP).

A ``next`` link pointing elsewhere, token endpoints failing with 5xx, and a body that drips in
slower than the deadline allows.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from customers_ui.thredfi import (
    InMemoryTokenCache,
    ThredfiClient,
    Timeouts,
    UpstreamError,
    UpstreamTimeout,
)
from tests.scripted_upstream import Route, Seen, scripted_upstream, send_json

PARTNER = "7d3c5e1a-2b4f-4c6d-8e9f-0a1b2c3d4e5f"
BUSINESS = "3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a01"


@pytest.fixture
def scripted() -> Iterator[tuple[str, dict[tuple[str, str], Route], Seen]]:
    with scripted_upstream() as script:
        yield script


def _client(base_url: str, **overrides: Any) -> ThredfiClient:
    options: dict[str, Any] = {
        "base_url": base_url,
        "partner_uuid": PARTNER,
        "api_key": "scripted-key",
        "token_cache": InMemoryTokenCache(),
        "user_agent": "tests",
        "sleep": lambda _seconds: None,
    }
    options.update(overrides)
    return ThredfiClient(**options)


def _business(n: int) -> dict[str, Any]:
    return {"id": f"00000000-0000-4000-8000-{n:012d}", "legal_name": f"B{n}", "currency": "GBP"}


def test_a_numbered_page_names_its_count_and_whether_more_follow(scripted):
    """A ``next`` link only says more follow: it is never followed (it could point anywhere)."""
    base_url, routes, seen = scripted

    def page(handler: BaseHTTPRequestHandler) -> None:
        body = {
            "count": 250,
            "next": "https://evil.example/v1/platform/businesses/?page=3",
            "previous": None,
            "results": [_business(1), "not a business", {"id": "nope"}, _business(2)],
        }
        send_json(handler, 200, body)

    routes[("GET", "/v1/platform/businesses/")] = page
    result = _client(base_url).list_businesses_page(2, page_size=100)
    assert [b.legal_name for b in result.results] == ["B1", "B2"]  # broken rows skipped
    assert (result.count, result.page, result.page_size) == (250, 2, 100)
    assert result.has_next
    assert result.total_pages == 3
    assert [path for method, path, _ in seen if method == "GET"] == [
        "/v1/platform/businesses/?page=2&page_size=100"
    ]


def test_a_bare_array_is_one_complete_page(scripted):
    base_url, routes, _ = scripted
    routes[("GET", "/v1/platform/businesses/")] = lambda h: send_json(h, 200, [_business(7)])
    result = _client(base_url).list_businesses_page(1)
    assert [b.legal_name for b in result.results] == ["B7"]
    assert (result.count, result.has_next, result.total_pages) == (1, False, 1)


def test_an_absurd_count_is_clamped(scripted):
    base_url, routes, _ = scripted
    body = {"count": 10**40, "next": None, "results": []}
    routes[("GET", "/v1/platform/businesses/")] = lambda h: send_json(h, 200, body)
    result = _client(base_url).list_businesses_page(1)
    assert result.count == 10_000_000
    assert not result.has_next


def test_token_requests_are_not_retried_on_5xx(scripted):
    base_url, routes, seen = scripted
    routes[("POST", "/v1/platform/oauth2/token/")] = lambda h: send_json(h, 503, {"message": "x"})
    with pytest.raises(UpstreamError) as caught:
        _client(base_url).list_businesses_page(1)
    assert caught.value.status == 503
    assert caught.value.request_id == "req_scripted"
    assert len(seen) == 1


def test_redirects_are_not_followed(scripted):
    base_url, routes, _ = scripted

    def redirect(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", "http://127.0.0.1:9/steal")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    routes[("GET", f"/v1/platform/businesses/{BUSINESS}/")] = redirect
    with pytest.raises(UpstreamError) as caught:
        _client(base_url).get_business(BUSINESS)
    assert caught.value.status == 302


def test_a_body_dripping_past_the_deadline_times_out(scripted):
    base_url, routes, _ = scripted

    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        try:
            for _ in range(100):
                handler.wfile.write(b" " * 1000)
                handler.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    routes[("GET", f"/v1/platform/businesses/{BUSINESS}/")] = drip
    client = _client(base_url, timeouts=Timeouts(connect=0.5, read=0.3, total=0.5))
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout):
        client.get_business(BUSINESS)  # each drip comes within `read`: the total cuts it off
    assert time.monotonic() - started < 0.5 + 0.5


def test_partner_calls_send_the_partner_token_and_basic_auth_only_to_the_token_endpoint(scripted):
    base_url, routes, seen = scripted
    routes[("GET", f"/v1/platform/businesses/{BUSINESS}/")] = lambda h: send_json(
        h, 200, {"id": BUSINESS}
    )
    _client(base_url).get_business(BUSINESS)
    (token_call, business_call) = seen
    assert token_call[2].startswith("Basic ")
    assert business_call[2] == "Bearer tok-POST"
