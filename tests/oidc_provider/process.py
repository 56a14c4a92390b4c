"""Run the test OIDC provider as a real subprocess (stdlib only, importable without Django).

Started through ``sandbox.launcher`` like every helper process of the tests. A subprocess, not a
thread, because the provider is a Django project of its own: its settings, database and app
registry must never meet the dashboard's, which pytest-django has already loaded here.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from sandbox.launcher import Launched, LaunchError, banner

_read_base_url = banner("OIDC provider listening on ")
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
        self._launched: Launched | None = None

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    def start(self) -> OIDCProviderProcess:
        """Start on port 0 (the OS picks a free port: no race) and read the URL from the banner."""
        self._data_dir = tempfile.TemporaryDirectory(prefix="oidc-provider-")
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("OIDC_PROVIDER_") and name != "DJANGO_SETTINGS_MODULE"
        }
        # The control secret goes through the environment: argv is readable by anyone via ps.
        env.update(
            OIDC_PROVIDER_CONTROL_SECRET=self._control_secret,
            OIDC_PROVIDER_DATA_DIR=self._data_dir.name,
        )
        argv = [sys.executable, "-m", "tests.oidc_provider", "--host", "127.0.0.1", "--port", "0"]
        self._launched = Launched(
            [*argv, "--verbose"] if self.verbose else argv,
            name="OIDC provider",
            env=env,
            ready=self._ready,
            start_timeout=START_TIMEOUT_SECONDS,
            stop_timeout=5.0,
        )
        try:
            self._launched.start()
        except LaunchError as exc:
            self.stop()
            raise OIDCProviderError(str(exc)) from None
        return self

    def _ready(self, launched: Launched) -> bool:
        if not self.base_url:
            self.base_url = _read_base_url(launched).rstrip("/")
        if not self.base_url:
            return False
        try:
            health = self._control("GET", "health", timeout=1.0)
        except (OSError, ValueError):
            return False
        self.issuer = health["issuer"]
        if self.issuer != self.base_url + _ISSUER_PATH:
            launched.fail(f"unexpected issuer {self.issuer!r} for {self.base_url}")
        return health.get("status") == "ok"

    def stderr_text(self) -> str:
        """What the provider logged so far (warnings, 500 tracebacks; every request if verbose)."""
        return "" if self._launched is None else self._launched.stderr_text()

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
            process = None if self._launched is None else self._launched.process
            if process is not None and process.poll() is not None:
                self._fail(f"OIDC provider died (exit code {process.returncode})")
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
        launched, self._launched = self._launched, None
        if launched is not None:
            launched.stop()
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
