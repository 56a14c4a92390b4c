"""A run pointed at a Redis that is not there stops at once with one clear line.

Without the check, every test's cache reset fell back to the database cache and ~940 tests
errored with "Database access not allowed", which says nothing about Redis (seen when a
developer's Redis had been shut down by `.ci/run` on the same port).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.launcher import free_port

# Starts a pytest process: left out of `make test-fast`.
pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parents[1]


def test_a_redis_url_nobody_answers_stops_the_run_before_any_test() -> None:
    closed = free_port()  # nothing listens here
    env = {**os.environ, "REDIS_URL": f"redis://:not-to-be-printed@127.0.0.1:{closed}/0"}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.pop("PYTEST_ADDOPTS", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/test_problems.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, output[-2000:]
    assert f"REDIS_URL (127.0.0.1:{closed}) is not answering" in output, output[-2000:]
    assert "not-to-be-printed" not in output
    assert "passed" not in output and "ERROR" not in output  # no test ran
