"""Sustained concurrent load while the upstream fails often: never a 500, never a lost audit row.

The same script as `make bench-faults`, shortened for the test suite (loopback only, bounded).
"""

from __future__ import annotations

import os

import pytest

from bench.load_faults import render, run_fault_load

# Starts servers or manage.py processes: left out of `make test-fast`, one xdist group.
pytestmark = pytest.mark.processes


def test_concurrent_load_with_upstream_faults_loses_nothing() -> None:
    extra_env = {}
    if os.environ.get("DATABASE_URL"):
        extra_env["DATABASE_URL"] = os.environ["DATABASE_URL"] + "_e2e"
    if os.environ.get("REDIS_URL"):
        extra_env["REDIS_URL"] = os.environ["REDIS_URL"]
    result = run_fault_load(
        concurrency=16, seconds=12, fault_rate=0.1, extra_env=extra_env, sample_every=3
    )
    print(render(result))
    assert result.answered > 200
    assert result.statuses.get(500, 0) == 0
    assert not result.errors
    assert set(result.statuses) <= {200, 429, 502, 503, 504}
    assert sum(n for code, n in result.statuses.items() if code != 200) > 0  # faults happened
    assert result.audit_rows == result.answered
    assert result.memory_growth_mb < 20
