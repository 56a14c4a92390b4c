"""`make help` lists every target of the Makefile with its one-line description."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

# Runs settings probes (fresh interpreters): left out of `make test-fast`. Timing-blind, so in a
# group of their own rather than the serial `processes` one (tests/conftest.py).
pytestmark = [pytest.mark.processes, pytest.mark.xdist_group("probes")]

ROOT = Path(__file__).resolve().parents[2]


def makefile_targets() -> set[str]:
    """Named targets (not files, variables or special targets) defined in the Makefile."""
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z0-9-]*):(?!=)", text, re.MULTILINE))


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_help_describes_every_target() -> None:
    result = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    described = dict(re.findall(r"^\s*make (\S+)\s+(\S.*)$", result.stdout, re.MULTILINE))
    targets = makefile_targets()
    assert {"help", "test", "demo", "lock", "lock-check"} <= targets
    assert set(described) == targets
    assert all(len(text) > 10 for text in described.values())
