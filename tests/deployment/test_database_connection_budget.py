"""On PostgreSQL a machine holds at most WEB_CONCURRENCY x DATABASE_POOL_MAX_SIZE connections,
however many pages are in flight (docs/deploying.md, the connection budget).

The dashboard runs as deployed (the Procfile's web command, production settings) against a
sandbox answering in 200 ms, so 32 detail pages overlap; a separate connection samples
pg_stat_activity meanwhile.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bench.harness import HTTPS, Dashboard
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.postgresql import on_postgresql, own_database

WEB_CONCURRENCY = 2
GUNICORN_THREADS = 16
POOL_MAX_SIZE = 4
PAGES = 32

pytestmark = [*on_postgresql, pytest.mark.processes, pytest.mark.xdist_group("timing")]


@pytest.fixture(scope="module")
def budget_database() -> Iterator[str]:
    """A database of its own, so only this server's connections are counted (not the
    two-process test's on <DATABASE_URL>_e2e, nor anyone else's)."""
    with own_database("pool") as url:
        yield url


@pytest.fixture(scope="module")
def deployed(
    budget_database: str, tmp_path_factory, dashboard_template, sandbox
) -> Iterator[Dashboard]:
    sandbox.reset()
    sandbox.configure(latency_ms=200)  # the session sandbox, through its control route
    env = {
        "DATABASE_URL": budget_database,
        "WEB_CONCURRENCY": str(WEB_CONCURRENCY),
        "GUNICORN_THREADS": str(GUNICORN_THREADS),
        "DATABASE_POOL_MAX_SIZE": str(POOL_MAX_SIZE),
        "DATABASE_POOL_TIMEOUT": "20",
    }
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    dashboard = Dashboard(
        thredfi_base_url=sandbox.base_url,
        workdir=tmp_path_factory.mktemp("connection-budget"),
        extra_env=env,
    )
    dashboard_template.provision(dashboard)
    dashboard.start()
    try:
        yield dashboard
    finally:
        dashboard.stop()
        sandbox.reset()


class ConnectionSampler(threading.Thread):
    """Counts client connections to one database every few milliseconds until stopped."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.peak = 0
        self.samples = 0
        self.ready = threading.Event()
        self.done = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            self.ready.set()
            while not self.done.is_set():
                (count,) = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND backend_type = 'client backend'"
                ).fetchone()
                self.peak = max(self.peak, count)
                self.samples += 1
                time.sleep(0.005)


def test_concurrent_pages_stay_within_the_connection_budget(deployed, budget_database) -> None:
    cookie = deployed.login()
    url = f"{deployed.base_url}/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
    headers = {**HTTPS, "Cookie": cookie}
    start = threading.Barrier(PAGES)

    def page(_: int) -> tuple[int, str]:
        start.wait(timeout=10)
        response = requests.get(url, headers=headers, timeout=60)
        return response.status_code, response.text

    sampler = ConnectionSampler(budget_database)
    sampler.start()
    assert sampler.ready.wait(timeout=10)
    began = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=PAGES) as pool:
            answers = list(pool.map(page, range(PAGES)))
    finally:
        sampler.done.set()
        sampler.join(timeout=10)
    elapsed = time.monotonic() - began

    budget = WEB_CONCURRENCY * POOL_MAX_SIZE
    print(
        f"{PAGES} pages in {elapsed:.2f} s; peak {sampler.peak} connections "
        f"(budget {budget} + the sampler's own) over {sampler.samples} samples"
    )
    assert [status for status, _ in answers] == [200] * PAGES
    assert all("Cobalt Kitchens Ltd" in text for _, text in answers)
    assert sampler.peak <= budget + 1
    # The sampler saw the server's connections, not just its own: it measured something.
    assert sampler.peak > 1
