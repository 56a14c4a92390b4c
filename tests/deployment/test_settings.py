"""The process refuses to start half-configured, and production settings pass `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Runs settings probes (fresh interpreters): left out of `make test-fast`. Timing-blind, so in a
# group of their own rather than the serial `processes` one (tests/conftest.py).
pytestmark = [pytest.mark.processes, pytest.mark.xdist_group("probes")]

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "k" * 10 + "production-like-secret-key-for-the-deploy-check-0123456789abcdef",
    "THREDFI_BASE_URL": "https://backend.thredfi.example",
    "CREDENTIALS_ENCRYPTION_KEYS": "0YqfS7qv7r1C2o3yVsl4oYy6s3eI1n6l9D8y0f8J0WQ=",
    "ALLOWED_HOSTS": "lookup.example.com",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a clean environment, as a PaaS would start it."""
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "THREDFI_BASE_URL", "CREDENTIALS_ENCRYPTION_KEYS"]
)
def test_production_refuses_to_start_without_a_required_setting(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    reason = result.stderr.strip().splitlines()
    assert reason == [
        f"dashboard: refusing to start: {missing} is not set (required when DEBUG=False)"
    ]


def test_check_deploy_reports_no_issues_under_production_settings() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_debug_starts_without_any_secret() -> None:
    result = run_manage("check", env={"DEBUG": "True"})
    assert result.returncode == 0, result.stderr


def test_an_unusable_encryption_key_is_reported_without_echoing_it() -> None:
    env = {**PRODUCTION_ENV, "CREDENTIALS_ENCRYPTION_KEYS": "not-a-fernet-key-secret-value"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "CREDENTIALS_ENCRYPTION_KEYS" in result.stderr
    assert "not-a-fernet-key-secret-value" not in result.stderr + result.stdout


def test_production_refuses_a_plain_http_thredfi() -> None:
    env = {**PRODUCTION_ENV, "THREDFI_BASE_URL": "http://backend.thredfi.example"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "THREDFI_BASE_URL must be an https:// URL" in result.stderr
    allowed = run_manage("check", env={**env, "THREDFI_ALLOW_INSECURE_HTTP": "True"})
    assert allowed.returncode == 0, allowed.stderr


def test_hsts_preload_is_the_operators_decision() -> None:
    probe = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD)"
    default = run_manage("shell", "-c", probe, env=PRODUCTION_ENV)
    assert default.stdout.strip().splitlines()[-1] == "False"
    opted_in = run_manage("shell", "-c", probe, env={**PRODUCTION_ENV, "SECURE_HSTS_PRELOAD": "1"})
    assert opted_in.stdout.strip().splitlines()[-1] == "True"
