"""A hung Thredfi must not use up the database pool (PostgreSQL, bounded pool per process).

With a pool of a few connections shared by every thread, a lookup that holds its connection
while it waits on Thredfi (in flight, or queued in the bulkhead) starves the health check and
the login page of one: the bulkhead keeps threads free, but those threads would still wait for a
connection. Lookups hand theirs back before they wait; this proves it with the smallest pool.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import requests

from bench.harness import HTTPS, Dashboard
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.postgresql import on_postgresql, own_database

QUEUED_LOOKUPS = 5  # 1 in flight + 4 waiting in the bulkhead, against a pool of 2

pytestmark = [*on_postgresql, pytest.mark.processes, pytest.mark.xdist_group("timing")]


@pytest.fixture(scope="module")
def own_database_url() -> Iterator[str]:
    with own_database("outage") as url:
        yield url


@pytest.fixture(scope="module")
def hung_upstream_server(
    own_database_url, tmp_path_factory, dashboard_template, sandbox
) -> Iterator[tuple[Dashboard, object]]:
    sandbox.reset()
    sandbox.configure(hang_seconds=60)  # the session sandbox, through its control route
    dashboard = Dashboard(
        thredfi_base_url=sandbox.base_url,
        workdir=tmp_path_factory.mktemp("outage-postgresql"),
        extra_env={
            "DATABASE_URL": own_database_url,
            "DATABASE_POOL_MAX_SIZE": "2",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "12",
            "THREDFI_MAX_CONCURRENT": "1",
            "THREDFI_MAX_WAITING": str(QUEUED_LOOKUPS - 1),
            "THREDFI_READ_TIMEOUT": "5",
            "THREDFI_TOTAL_TIMEOUT": "6",
        },
    )
    dashboard_template.provision(dashboard)
    dashboard.start()
    try:
        yield dashboard, sandbox
    finally:
        sandbox.set_outage("off")
        sandbox.reset()
        dashboard.stop()


def test_lookups_waiting_on_thredfi_leave_the_pool_to_other_pages(hung_upstream_server) -> None:
    dashboard, sandbox = hung_upstream_server
    cookie = dashboard.login()
    headers = {**HTTPS, "Cookie": cookie}
    detail = f"{dashboard.base_url}/customers/{BUSINESS_GBP}/"
    assert requests.get(f"{detail}{DEMO_CUSTOMER_ID}/", headers=headers, timeout=30).ok

    sandbox.set_outage("hang")
    statuses: list[int] = []

    def hung_lookup() -> None:
        response = requests.get(f"{detail}{uuid.uuid4()}/", headers=headers, timeout=30)
        statuses.append(response.status_code)

    lookups = [threading.Thread(target=hung_lookup) for _ in range(QUEUED_LOOKUPS)]
    for thread in lookups:
        thread.start()
    time.sleep(1.5)  # every lookup is now in flight or queued in the bulkhead
    try:
        for path, page_headers in (
            ("/healthz", HTTPS),
            ("/accounts/login/", HTTPS),
            ("/credentials/", headers),
        ):
            started = time.perf_counter()
            response = requests.get(dashboard.base_url + path, headers=page_headers, timeout=30)
            seconds = time.perf_counter() - started
            assert response.status_code == 200, (path, response.status_code)
            assert seconds < 1.0, f"{path} waited {seconds:.1f} s for a database connection"
    finally:
        sandbox.set_outage("off")
        for thread in lookups:
            thread.join(30)
    assert len(statuses) == QUEUED_LOOKUPS
    assert all(status in (200, 404, 503, 504) for status in statuses), statuses
