"""Connection reuse: per-thread connection pools survive short-lived clients; nothing from one
call (cookies) or from the environment (proxies, netrc) rides along on another; https is checked
against certifi's bundle, and a certificate it does not vouch for is a TLS failure."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler

import certifi
import pytest

from customers_ui.thredfi import InMemoryTokenCache, ThredfiClient, UpstreamTLSFailure
from customers_ui.thredfi.transport import pool_for
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.certificates import self_signed_certificate
from tests.scripted_upstream import Route, scripted_upstream, send_json


def test_consecutive_calls_in_a_thread_reuse_one_connection(api, make_client):
    def lookups() -> tuple[bool, int]:
        pool = pool_for(api.base_url)
        for _ in range(3):
            make_client().get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)  # a new client each time
        return pool_for(api.base_url) is pool, pool.num_connections

    # A thread of its own starts from a cold pool, whatever this one's earlier tests left.
    with ThreadPoolExecutor(max_workers=1) as executor:
        same_pool, opened = executor.submit(lookups).result()
    assert same_pool
    assert opened == 1  # tokens + 3 lookups over one keep-alive


def test_each_thread_has_its_own_pool(api):
    here = pool_for(api.base_url)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(pool_for(api.base_url)))
    thread.start()
    thread.join()
    assert seen and seen[0] is not here


def test_no_cookie_proxy_or_netrc_rides_along(monkeypatch, tmp_path):
    """The pools are shared by every credential in a thread: a cookie one answer sets must not
    go out with the next call, and a proxy or ~/.netrc in the environment is never used."""
    (tmp_path / ".netrc").write_text("machine 127.0.0.1 login stray password secret\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NETRC", str(tmp_path / ".netrc"))
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # the discard port: nothing answers
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    cookies_sent: list[str | None] = []

    def customer(handler: BaseHTTPRequestHandler) -> None:
        cookies_sent.append(handler.headers.get("Cookie"))
        data = b'{"id": "%s", "display_name": "C"}' % DEMO_CUSTOMER_ID.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Set-Cookie", "tracking=1; Path=/")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    with scripted_upstream() as (base_url, routes, seen):
        _serve_a_customer(routes, customer)
        client = _client(base_url)
        for _ in range(2):
            client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)

    assert cookies_sent == [None, None]
    # Straight to the server (a proxy would have refused), and no netrc credentials anywhere.
    assert all("stray" not in (authorization or "") for _, _, authorization in seen)
    assert [a for m, _, a in seen if m == "GET"] == ["Bearer business-token"] * 2


def test_a_certificate_no_known_authority_signed_is_a_tls_failure(tmp_path):
    certificate = self_signed_certificate(tmp_path)
    with scripted_upstream(tls=certificate) as (base_url, routes, seen):
        _serve_a_customer(routes)
        with pytest.raises(UpstreamTLSFailure):
            _client(base_url).get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    assert seen == []  # nothing was sent: not the API key, not a token


def test_https_trusts_what_certifis_bundle_trusts(tmp_path, monkeypatch):
    """The same server, its certificate now in the bundle the client checks against."""
    certificate, key = self_signed_certificate(tmp_path)
    monkeypatch.setattr(certifi, "where", lambda: str(certificate))
    with scripted_upstream(tls=(certificate, key)) as (base_url, routes, seen):
        _serve_a_customer(routes)
        customer = _client(base_url).get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)
    assert str(customer.id) == DEMO_CUSTOMER_ID
    assert [method for method, _, _ in seen] == ["POST", "POST", "GET"]  # tokens, then the GET


def _client(base_url: str) -> ThredfiClient:
    return ThredfiClient(
        base_url=base_url,
        partner_uuid="7d3c5e1a-2b4f-4c6d-8e9f-0a1b2c3d4e5f",
        api_key="scripted-key",
        token_cache=InMemoryTokenCache(),
        user_agent="tests",
    )


def _serve_a_customer(routes: dict[tuple[str, str], Route], customer: Route | None = None) -> None:
    """The business token and one customer, as Thredfi answers them."""
    routes[("POST", f"/v1/platform/{BUSINESS_GBP}/oauth2/token/")] = lambda handler: send_json(
        handler, 200, {"access_token": "business-token", "expires_in": 3600}
    )
    path = f"/v1/platform/businesses/{BUSINESS_GBP}/customers/{DEMO_CUSTOMER_ID}/"
    routes[("GET", path)] = customer or (
        lambda handler: send_json(handler, 200, {"id": DEMO_CUSTOMER_ID, "display_name": "C"})
    )
