"""Connection reuse: per-thread pooled sessions survive short-lived clients."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from customers_ui.thredfi.transport import session_for
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID


def _connections_opened(base_url: str) -> int:
    """New connections urllib3 opened for this thread's session, across all its pools."""
    poolmanager = session_for(base_url).get_adapter(base_url).poolmanager
    return sum(poolmanager.pools[key].num_connections for key in poolmanager.pools.keys())  # noqa: SIM118 - not iterable


def test_consecutive_calls_in_a_thread_reuse_one_connection(api, make_client):
    def lookups() -> tuple[bool, int]:
        session = session_for(api.base_url)
        for _ in range(3):
            make_client().get_customer(BUSINESS_GBP, DEMO_CUSTOMER_ID)  # a new client each time
        return session_for(api.base_url) is session, _connections_opened(api.base_url)

    # A thread of its own starts from a cold pool, whatever this one's earlier tests left.
    with ThreadPoolExecutor(max_workers=1) as pool:
        same_session, opened = pool.submit(lookups).result()
    assert same_session
    assert opened == 1  # tokens + 3 lookups over one keep-alive


def test_each_thread_has_its_own_session(api):
    here = session_for(api.base_url)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(session_for(api.base_url)))
    thread.start()
    thread.join()
    assert seen and seen[0] is not here


def test_sessions_keep_no_cookies_and_ignore_the_environment(api):
    """Sessions are shared by every credential in a thread: no cookie may ride along."""
    session = session_for(api.base_url)
    assert session.trust_env is False
    cookie = requests.cookies.create_cookie("tracking", "1", domain="127.0.0.1")
    policy = session.cookies.get_policy()
    assert policy.set_ok(cookie, None) is False
    assert policy.return_ok(cookie, None) is False
