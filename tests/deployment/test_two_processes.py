"""Two web processes share one cache (Redis when REDIS_URL is set, else the database cache):
one token fetch serves both, and a login lockout earned on one holds on the other."""

from __future__ import annotations

import os

import pytest
import requests

from bench.harness import HTTPS, Dashboard
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.dashboards import e2e_database_url

# Starts servers or manage.py processes: left out of `make test-fast`; one xdist group per module.
pytestmark = pytest.mark.processes


@pytest.fixture(scope="module")
def two_processes(sandbox, tmp_path_factory, dashboard_template):
    workdir = tmp_path_factory.mktemp("two-processes")
    shared = {"WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "4", "AXES_FAILURE_LIMIT": "3"}
    if e2e_url := e2e_database_url():
        # A real server database beside the test runner's own: "<name>_e2e[_<worker>]".
        shared["DATABASE_URL"] = e2e_url
    if os.environ.get("REDIS_URL"):
        shared["REDIS_URL"] = os.environ["REDIS_URL"]
    first = Dashboard(thredfi_base_url=sandbox.base_url, workdir=workdir, extra_env=shared)
    second = Dashboard(thredfi_base_url=sandbox.base_url, workdir=workdir, extra_env=shared)
    dashboard_template.provision(first)
    first.start()
    second.start()
    yield first, second
    first.stop()
    second.stop()


def token_requests(sandbox) -> int:
    stats = sandbox.stats()
    return stats["partner_token_requests"] + stats["business_token_requests"]


def test_one_token_fetch_serves_both_processes(two_processes, sandbox) -> None:
    first, second = two_processes
    sandbox.reset()
    cookie = first.login()
    path = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
    headers = {**HTTPS, "Cookie": cookie}
    assert requests.get(first.base_url + path, headers=headers, timeout=10).status_code == 200
    assert token_requests(sandbox) == 2  # one partner token, one business token
    # The other process knows the session and finds the tokens in the shared cache.
    response = requests.get(second.base_url + path, headers=headers, timeout=10)
    assert response.status_code == 200
    assert "Cobalt Kitchens Ltd" in response.text
    assert token_requests(sandbox) == 2
    assert sandbox.stats()["requests"]["get_customer"] == 2


def test_a_lockout_on_one_process_holds_on_the_other(two_processes) -> None:
    first, second = two_processes
    for _ in range(3):
        assert first.login_attempt("demo", "wrong-password").status_code in {200, 429}
    locked = second.login_attempt("demo", "demo")
    assert locked.status_code != 302
    assert "Too many failed log-in attempts" in locked.text
