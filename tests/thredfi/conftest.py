"""Fixtures for the Thredfi client tests: a real sandbox over HTTP, fresh caches, fast sleeps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from customers_ui.thredfi import InMemoryTokenCache, ThredfiClient, Timeouts

# Long enough to outlast the short read timeout the HANG test configures.
HANG_SECONDS = 3


@pytest.fixture(scope="session")
def upstream(sandbox: Any) -> Any:
    """The session's one sandbox (tests/conftest.py), shared with every other directory."""
    return sandbox


@pytest.fixture
def api(upstream: Any) -> Any:
    """The shared sandbox with counters (and alternating faults) back at zero, and the hang the
    client tests expect, set through the control routes."""
    upstream.reset()
    upstream.configure(hang_seconds=HANG_SECONDS, document_ttl=300)
    return upstream


@pytest.fixture
def token_cache() -> InMemoryTokenCache:
    return InMemoryTokenCache()


@pytest.fixture
def sleeps() -> list[float]:
    """Sleeps the client asked for: recorded, not slept, so retry tests stay fast."""
    return []


@pytest.fixture
def make_client(
    api: Any, token_cache: InMemoryTokenCache, sleeps: list[float]
) -> Callable[..., ThredfiClient]:
    """Build clients against the sandbox with the demo credential unless told otherwise."""
    from sandbox.demo import DEMO_API_KEY, DEMO_PARTNER_UUID

    def build(**overrides: Any) -> ThredfiClient:
        options: dict[str, Any] = {
            "base_url": api.base_url,
            "partner_uuid": DEMO_PARTNER_UUID,
            "api_key": DEMO_API_KEY,
            "token_cache": token_cache,
            "user_agent": "customer-lookup-dashboard-tests",
            "timeouts": Timeouts(connect=2.0, read=4.0, total=6.0),
            "sleep": sleeps.append,
        }
        options.update(overrides)
        return ThredfiClient(**options)

    return build


@pytest.fixture
def client(make_client: Callable[..., ThredfiClient]) -> ThredfiClient:
    return make_client()
