"""Run the test OIDC provider as a real subprocess (stdlib only, importable without Django).

Modelled on ``sandbox.testing.SandboxProcess``. A subprocess, not a thread, because the provider
is a Django project of its own: its settings, database and app registry must never meet the
dashboard's, which pytest-django has already loaded in this process.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

_REPO_ROOT = Path(__file__).resolve().parents[2]
_BANNER_PREFIX = "OIDC provider listening on "
_ISSUER_PATH = "/o"
START_TIMEOUT_SECONDS = 20.0


class OIDCProviderError(RuntimeError):
    """The control API refused a request (bad input) or the process failed."""


class OIDCProviderProcess:
    """An OIDC provider on a free loopback port. Use as a context manager or start()/stop().

    ``issuer`` is exactly the ``iss`` its ID tokens carry and the ``issuer`` discovery names;
    discovery lives at ``issuer + "/.well-known/openid-configuration"``.
    """

    def __init__(self, *, verbose: bool = False) -> None:
        self.verbose = verbose
        self.base_url = ""
        self.issuer = ""
        self._control_secret = secrets.token_urlsafe(32)
        self._data_dir: tempfile.TemporaryDirectory[str] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._stdout: IO[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    def start(self) -> OIDCProviderProcess:
        """Start on port 0 (the OS picks a free port: no race) and read the URL from the banner."""
        self._data_dir = tempfile.TemporaryDirectory(prefix="oidc-provider-")
        # Files, not pipes: nobody drains a pipe during tests, and a full pipe blocks the server.
        self._stdout = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("OIDC_PROVIDER_") and name != "DJANGO_SETTINGS_MODULE"
        }
        # The control secret goes through the environment: argv is readable by anyone via ps.
        env.update(
            OIDC_PROVIDER_CONTROL_SECRET=self._control_secret,
            OIDC_PROVIDER_DATA_DIR=self._data_dir.name,
            PYTHONUNBUFFERED="1",
        )
        argv = [sys.executable, "-m", "tests.oidc_provider", "--host", "127.0.0.1", "--port", "0"]
        self._process = subprocess.Popen(
            [*argv, "--verbose"] if self.verbose else argv,
            cwd=_REPO_ROOT,
            env=env,
            stdout=self._stdout,
            stderr=self._stderr,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._fail(f"OIDC provider exited with code {self._process.returncode}")
            if not self.base_url:
                self.base_url = self._read_base_url()
            if self.base_url and self._ready():
                return self
            time.sleep(0.02)
        self._fail(f"OIDC provider not ready after {START_TIMEOUT_SECONDS:.0f} s")
        raise AssertionError("unreachable")  # pragma: no cover - _fail always raises

    def _read_base_url(self) -> str:
        assert self._stdout is not None
        self._stdout.seek(0)
        first_line = self._stdout.readline().decode("utf-8", "replace").strip()
        if first_line.startswith(_BANNER_PREFIX) and self._stdout.tell() > len(first_line):
            return first_line.removeprefix(_BANNER_PREFIX).rstrip("/")
        return ""

    def _ready(self) -> bool:
        try:
            health = self._control("GET", "health", timeout=1.0)
        except (OSError, ValueError):
            return False
        self.issuer = health["issuer"]
        if self.issuer != self.base_url + _ISSUER_PATH:
            self._fail(f"unexpected issuer {self.issuer!r} for {self.base_url}")
        return health.get("status") == "ok"

    def stderr_text(self) -> str:
        """What the provider logged so far (warnings, 500 tracebacks; every request if verbose)."""
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def _fail(self, reason: str) -> None:
        stderr = self.stderr_text()
        self.stop()
        raise OIDCProviderError(f"{reason}; stderr:\n{stderr}")

    def _control(
        self, method: str, endpoint: str, body: dict[str, Any] | None = None, timeout: float = 5.0
    ) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.base_url}/_control/{endpoint}",
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self._control_secret}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            raise OIDCProviderError(f"control {endpoint} answered {exc.code}: {detail}") from exc
        except OSError:
            if self._process is not None and self._process.poll() is not None:
                self._fail(f"OIDC provider died (exit code {self._process.returncode})")
            raise

    def add_user(
        self,
        username: str,
        password: str,
        *,
        email: str = "",
        sub: str | None = None,
        name: str = "",
        amr: Sequence[str] = ("pwd",),
        email_verified: bool = True,
        is_active: bool = True,
    ) -> dict[str, Any]:
        """Create the user, or reset every field of an existing one. Returns its claims.

        ``sub`` defaults to a fresh random value on creation (kept on later updates).
        """
        body: dict[str, Any] = {
            "username": username,
            "password": password,
            "email": email,
            "name": name,
            "amr": list(amr),
            "email_verified": email_verified,
            "is_active": is_active,
        }
        if sub is not None:
            body["sub"] = sub
        return self._control("POST", "users", body)

    def update_user(self, username: str, **fields: Any) -> dict[str, Any]:
        """Change only the given fields (password, email, sub, name, amr, email_verified,
        is_active) of an existing or new user."""
        if "amr" in fields:
            fields["amr"] = list(fields["amr"])
        return self._control("POST", "users", {"username": username, **fields})

    def add_client(
        self, client_id: str, client_secret: str, redirect_uris: Sequence[str]
    ) -> dict[str, Any]:
        """Register (or update) a confidential client: code flow, RS256, no consent screen."""
        body = {
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uris": list(redirect_uris),
        }
        return self._control("POST", "clients", body)

    def misbehave(
        self,
        *,
        aud: str | None = None,
        iss: str | None = None,
        nonce: str | None = None,
        expired: bool = False,
        rogue_key: bool = False,
        unsigned: bool = False,
        claims: dict[str, Any] | None = None,
        drop_claims: Sequence[str] = (),
        count: int | None = None,
    ) -> None:
        """Spoil the next ``count`` ID tokens (all of them until behave() when None).

        ``aud``/``iss``/``nonce`` replace those claims; ``expired`` puts ``exp`` an hour in the
        past; ``rogue_key`` signs with an RSA key the JWKS does not publish; ``unsigned`` sends
        an `"alg": "none"` token (and discovery lists "none" until then); ``claims`` sets any
        claim to any JSON value and ``drop_claims`` leaves claims out. Switches combine.
        """
        body = {
            "aud": aud,
            "iss": iss,
            "nonce": nonce,
            "expired": expired,
            "rogue_key": rogue_key,
            "unsigned": unsigned,
            "claims": claims or {},
            "drop_claims": list(drop_claims),
            "count": count,
        }
        self._control("POST", "misbehave", body)

    def behave(self) -> None:
        """Issue correct ID tokens again."""
        self._control("POST", "behave", {})

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        for handle in (self._stdout, self._stderr):
            if handle is not None:
                handle.close()
        self._stdout = self._stderr = None
        if self._data_dir is not None:
            self._data_dir.cleanup()
            self._data_dir = None

    def __enter__(self) -> OIDCProviderProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
