"""rediss:// against a real TLS Redis with a self-signed certificate, as Heroku Redis serves it:
REDIS_SSL_CERT_REQS=none connects; the default (required) refuses an untrusted certificate (the
fail-soft cache then serves from its fallback, never from that server) and connects once the
certificate is trusted."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.launcher import Launched, free_port, port_open
from tests.certificates import self_signed_certificate
from tests.deployment.settings_probe import PRODUCTION_ENV, run_python

# Starts servers or manage.py processes: left out of `make test-fast`; one xdist group per module.
pytestmark = pytest.mark.processes

CACHE_ROUND_TRIP = (
    "from django.core.cache import cache\n"
    "cache.set('tls-probe', 'over-tls', 30)\n"
    "print(cache.get('tls-probe'))\n"
    "print('fallback' if getattr(cache, 'degraded', False) else 'shared')\n"
)


@pytest.fixture(scope="module")
def tls_redis(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """A throwaway redis-server speaking only TLS on a free loopback port."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    directory = tmp_path_factory.mktemp("tls-redis")
    cert_path, key_path = self_signed_certificate(directory)
    port = free_port()
    argv = [
        server,
        "--port", "0",
        "--tls-port", str(port),
        "--bind", "127.0.0.1",
        "--tls-cert-file", str(cert_path),
        "--tls-key-file", str(key_path),
        "--tls-auth-clients", "no",
        "--save", "",
        "--appendonly", "no",
        "--dir", str(directory),
    ]  # fmt: skip
    with Launched(argv, name="redis-server with TLS", ready=port_open(port), start_timeout=10):
        yield f"rediss://127.0.0.1:{port}/0", cert_path


def cache_round_trip(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_python(CACHE_ROUND_TRIP, {**PRODUCTION_ENV, **env})


def test_self_signed_redis_works_with_cert_reqs_none(tls_redis) -> None:
    url, _ = tls_redis
    result = cache_round_trip({"REDIS_URL": url, "REDIS_SSL_CERT_REQS": "none"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-2:] == ["over-tls", "shared"]


def test_by_default_an_untrusted_certificate_is_refused(tls_redis) -> None:
    url, _ = tls_redis
    result = cache_round_trip({"REDIS_URL": url})
    # Refused, so never used: the value went to the fallback (a miss, not a crash).
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "fallback"


def test_by_default_a_trusted_certificate_is_verified_and_used(tls_redis) -> None:
    url, cert_path = tls_redis
    result = cache_round_trip({"REDIS_URL": url, "SSL_CERT_FILE": str(cert_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-2:] == ["over-tls", "shared"]
