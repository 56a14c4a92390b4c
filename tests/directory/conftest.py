"""Fixtures of the directory tests: a sandbox whose big partner has 2,500 businesses (small
enough to sync in about a second, big enough for 25 pages fetched in parallel), users holding its
credential, and background refreshes run inline unless a test wants the real thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sandbox.demo import BIG_API_KEY, BIG_PARTNER_UUID

BIG_BUSINESSES = 2_500  # the session's big sandbox (tests/conftest.py: big_sandbox)


@pytest.fixture
def directory_sandbox(big_sandbox: Any, settings: Any) -> Any:
    """The dashboard pointed at the big sandbox; counters, size and outage back to the start."""
    settings.THREDFI_BASE_URL = big_sandbox.base_url
    # Short enough that a hung upstream costs a test one second, long enough for any real answer
    # of the sandbox on a busy machine (milliseconds).
    settings.THREDFI_READ_TIMEOUT = 1.0
    settings.THREDFI_TOTAL_TIMEOUT = 2.0
    big_sandbox.set_outage("off")
    big_sandbox.reset()
    return big_sandbox


@pytest.fixture
def background_jobs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Callable[..., None], tuple]]:
    """Refreshes pages start are queued here instead of running (call `run_jobs` to run them)."""
    from customers_ui.directory import refresh

    jobs: list[tuple[Callable[..., None], tuple]] = []
    monkeypatch.setattr(refresh, "spawn", lambda job, *args: jobs.append((job, args)))
    return jobs


def run_jobs(jobs: list[tuple[Callable[..., None], tuple]]) -> int:
    ran = 0
    while jobs:
        job, args = jobs.pop(0)
        job(*args)
        ran += 1
    return ran


@pytest.fixture(autouse=True)
def inline_refresh(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Background refreshes run inline, so a page's sync has finished when the page returns.

    Tests that look at the refresh itself ask for `background_jobs` (queued, run by hand) or
    `threaded_refresh` (the real thread) instead.
    """
    if "background_jobs" in request.fixturenames or "threaded_refresh" in request.fixturenames:
        return
    from customers_ui.directory import refresh

    monkeypatch.setattr(refresh, "spawn", lambda job, *args: job(*args))


@pytest.fixture
def threaded_refresh(transactional_db: None) -> None:
    """The real background thread (committed data, so the thread's connection sees it)."""


@pytest.fixture
def big_credential(alice: Any, directory_sandbox: Any) -> Any:
    """Alice's credential for the big partner (her default)."""
    from tests.factories import make_credential

    return make_credential(alice, "Big partner", api_key=BIG_API_KEY, partner_uuid=BIG_PARTNER_UUID)


@pytest.fixture
def big_client(client: Any, alice: Any, big_credential: Any) -> Any:
    client.force_login(alice)
    return client
