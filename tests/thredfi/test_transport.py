"""Connection reuse: per-thread connection pools survive short-lived clients; nothing from one
call (cookies) or from the environment (proxies, netrc) rides along on another."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler

from customers_ui.thredfi import InMemoryTokenCache, ThredfiClient
from customers_ui.thredfi.transport import pool_for
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.scripted_upstream import scripted_upstream, send_json


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
        routes[("GET", f"/v1/platform/businesses/{BUSINESS_GBP}/customers/{DEMO_CUSTOMER_ID}/")] = (
            customer
        )
        routes[("POST", f"/v1/platform/{BUSINESS_GBP}/oauth2/token/")] = lambda handler: send_json(
            handler, 200, {"access_token": "business-token", "expires_in": 3600}
        )
        client = ThredfiClient(
            base_url=base_url,
            partner_uuid="7d3c5e1a-2b4f-4c6d-8e9f-0a1b2c3d4e5f",
            api_key="scripted-key",
            token_cache=InMemoryTokenCache(),
            user_agent="tests",
        )
        for _ in range(2):
            client.get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)

    assert cookies_sent == [None, None]
    # Straight to the server (a proxy would have refused), and no netrc credentials anywhere.
    assert all("stray" not in (authorization or "") for _, _, authorization in seen)
    assert [a for m, _, a in seen if m == "GET"] == ["Bearer business-token"] * 2
