"""Production refuses to start with half-configured sign-in, and passes `check --deploy` with
single sign-on and required second factors configured."""

from __future__ import annotations

import pytest

from tests.deployment.test_settings import PRODUCTION_ENV, run_manage

# Runs settings probes (fresh interpreters): left out of `make test-fast`. Timing-blind, so in a
# group of their own rather than the serial `processes` one (tests/conftest.py).
pytestmark = [pytest.mark.processes, pytest.mark.xdist_group("probes")]

SSO_ENV = {
    **PRODUCTION_ENV,
    "OIDC_ISSUER": "https://login.example.com/tenant/v2.0",
    "OIDC_CLIENT_ID": "dashboard",
    "OIDC_CLIENT_SECRET": "s3cret-value",
    "OIDC_ALLOWED_EMAIL_DOMAINS": "example.com",
}


@pytest.mark.parametrize(
    "missing", ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ALLOWED_EMAIL_DOMAINS"]
)
def test_an_issuer_without_the_rest_refuses_to_start(missing: str) -> None:
    env = {k: v for k, v in SSO_ENV.items() if k != missing}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"dashboard: refusing to start: {missing} is not set "
        "(required with OIDC_ISSUER when DEBUG=False)"
    ]


def test_a_plain_http_issuer_refuses_to_start() -> None:
    result = run_manage("check", env={**SSO_ENV, "OIDC_ISSUER": "http://login.example.com"})

    assert result.returncode != 0
    assert "OIDC_ISSUER must be an https:// URL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_password_login_off_without_sso_refuses_to_start() -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, "PASSWORD_LOGIN": "False"})

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "dashboard: refusing to start: PASSWORD_LOGIN=False needs OIDC_ISSUER: nobody could sign in"
    ]


def test_check_deploy_is_clean_with_sso_and_mfa_required() -> None:
    env = {**SSO_ENV, "PASSWORD_LOGIN": "False", "MFA_REQUIRED": "True"}

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
    assert "s3cret-value" not in result.stdout + result.stderr
