"""The dependency locks are complete, hashed, portable and mutually consistent.

`make lock-check` (run by .ci/run, needs PyPI) proves they are what requirements*.in compile to;
these checks need no network and catch a hand edit or a machine-specific line at once.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """name -> (version, hashes) of every requirement in a pip-compile output."""
    text = path.read_text().replace("\\\n", " ")
    pins: dict[str, tuple[str, frozenset[str]]] = {}
    for line in text.splitlines():
        if match := PIN.match(line):
            hashes = frozenset(re.findall(r"--hash=(sha256:[0-9a-f]{64})", line))
            pins[normalise(match.group(1))] = (match.group(2), hashes)
    return pins


def direct_pins(path: Path) -> dict[str, str]:
    """name -> version of the `name==version` lines of a .in file (comments and -r/-c skipped)."""
    return {
        normalise(m.group(1)): m.group(2)
        for line in path.read_text().splitlines()
        if (m := PIN.match(line.strip()))
    }


@pytest.mark.parametrize(
    "lock", ["requirements.txt", "requirements-dev.txt", "requirements-install.txt"]
)
def test_every_line_is_a_hashed_pin_with_no_machine_specific_source(lock: str) -> None:
    text = (ROOT / lock).read_text()
    for line in text.replace("\\\n", " ").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        assert PIN.match(stripped), f"{lock}: not a pin: {stripped[:80]}"
        assert "--hash=sha256:" in stripped, f"{lock}: unhashed: {stripped[:80]}"
    for marker in ("--index-url", "--extra-index-url", "--find-links", "file://", "/opt/"):
        assert marker not in text, f"{lock} names {marker}"


@pytest.mark.parametrize(
    ("source", "lock"),
    [
        ("requirements.in", "requirements.txt"),
        ("requirements-dev.in", "requirements-dev.txt"),
        ("requirements-install.in", "requirements-install.txt"),
    ],
)
def test_every_direct_dependency_is_locked_at_its_pinned_version(source: str, lock: str) -> None:
    locked = requirements(ROOT / lock)
    for name, version in direct_pins(ROOT / source).items():
        assert locked.get(name, ("missing",))[0] == version, f"{name} in {lock}"


def test_the_dev_lock_installs_exactly_the_runtime_lock_plus_tools() -> None:
    runtime = requirements(ROOT / "requirements.txt")
    dev = requirements(ROOT / "requirements-dev.txt")
    different = {name for name, pin in runtime.items() if dev.get(name) != pin}
    assert not different, f"runtime packages locked differently for dev: {sorted(different)}"


def test_the_new_operations_dependencies_are_there() -> None:
    runtime = requirements(ROOT / "requirements.txt")
    for name in (
        "authlib",
        "django-otp",
        "segno",
        "python-json-logger",
        "sentry-sdk",
        "psycopg-pool",
    ):
        assert name in runtime
    assert "psycopg[binary,pool]==3.3.9" in (ROOT / "requirements.in").read_text()


def test_python_version_matches_the_locks() -> None:
    version = (ROOT / ".python-version").read_text().strip()
    assert version == "3.11"
    assert f"pip-compile with Python {version}" in (ROOT / "requirements.txt").read_text()
