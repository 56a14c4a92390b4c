"""Run the sandbox as a real subprocess from tests (stdlib only, importable without Django).

A subprocess rather than an in-process thread so the code under test talks genuine HTTP to a
separate interpreter: no shared GIL skewing timeouts, and a hanging fault cannot wedge the tests.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from sandbox.launcher import Launched, banner

_read_base_url = banner("Thredfi sandbox listening on ")
START_TIMEOUT_SECONDS = 10.0


class SandboxProcess:
    """A sandbox on a free loopback port. Use as a context manager or call start()/stop()."""

    def __init__(
        self,
        *,
        latency_ms: int = 0,
        jitter_ms: int = 0,
        token_ttl: int = 3600,
        document_ttl: int = 300,
        hang_seconds: int = 30,
        fault_rate: float = 0.0,
        big_partner_businesses: int | None = None,
        outage: str | None = None,
        extra_args: Sequence[str] = (),
    ) -> None:
        """``big_partner_businesses`` / ``outage``: ``None`` keeps the sandbox's defaults
        (25,000 businesses, no outage)."""
        self.args = [
            "--latency-ms", str(latency_ms),
            "--jitter-ms", str(jitter_ms),
            "--token-ttl", str(token_ttl),
            "--document-ttl", str(document_ttl),
            "--hang-seconds", str(hang_seconds),
            "--fault-rate", str(fault_rate),
        ]  # fmt: skip
        if big_partner_businesses is not None:
            self.args += ["--big-partner-businesses", str(big_partner_businesses)]
        if outage is not None:
            self.args += ["--outage", outage]
        self.args += extra_args
        self.base_url = ""
        self._launched: Launched | None = None

    def start(self) -> SandboxProcess:
        """Start on port 0 (the OS picks a free port: no race), read the port from the banner and
        wait for the health route."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
        argv = [sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", "0", *self.args]
        self._launched = Launched(
            argv,
            name="sandbox",
            env=env,
            ready=self._ready,
            start_timeout=START_TIMEOUT_SECONDS,
            stop_timeout=5.0,
        )
        self._launched.start()  # LaunchError (a RuntimeError) carries the sandbox's output
        return self

    def _ready(self, launched: Launched) -> bool:
        if not self.base_url:
            self.base_url = _read_base_url(launched).rstrip("/")
        return bool(self.base_url) and self._healthy()

    def _healthy(self) -> bool:
        try:
            return self._request("GET", "/_sandbox/health", timeout=1.0).get("status") == "ok"
        except (OSError, ValueError):
            return False

    def _request(
        self,
        method: str,
        path: str,
        timeout: float = 5.0,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode()
        headers = {} if body is None else {"Content-Type": "application/json"}
        # S310: the URL is our own http://127.0.0.1 base URL, never user input.
        request = urllib.request.Request(  # noqa: S310
            self.base_url + path, data=data, headers=headers, method=method
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read())

    def stats(self) -> dict[str, Any]:
        """Request counters since start or the last reset()."""
        return self._request("GET", "/_sandbox/stats")

    def reset(self) -> None:
        """Zero the counters and the alternating-fault state (tokens stay valid)."""
        self._request("POST", "/_sandbox/reset")

    def configure(self, **settings: float) -> dict[str, float]:
        """Change run-time settings (``hang_seconds``, ``latency_ms``, ``jitter_ms``,
        ``token_ttl``, ``document_ttl``, ``fault_rate``) of the running sandbox; ``reset()``
        restores the ones it started with. Returns the settings now in force.

        One shared sandbox serves tests that need different behaviour: each sets what it needs
        instead of starting a process of its own.
        """
        return self._request("POST", "/_sandbox/settings", body=settings)["settings"]

    def advance_clock(self, seconds: float) -> float:
        """Move the sandbox's clock ``seconds`` forward (tokens and presigned URLs expire by it);
        ``reset()`` sets it back. Returns the total offset."""
        return self._request("POST", "/_sandbox/clock", body={"seconds": seconds})["offset_seconds"]

    def revoke_tokens(self) -> None:
        """Make every token issued so far answer 401."""
        self._request("POST", "/_sandbox/revoke-tokens")

    def set_outage(self, mode: str) -> str:
        """Switch every /v1/ route to an outage mode ("hang", "refuse", "reset", "503", "502",
        "504") or back to "off"; returns the previous mode. "off" releases hung requests."""
        return self._request("POST", "/_sandbox/outage", body={"mode": mode})["previous"]

    def outage_mode(self) -> str:
        """The current outage mode ("off" when Thredfi answers normally)."""
        return self._request("GET", "/_sandbox/outage")["mode"]

    def resize_big_partner(self, businesses: int) -> int:
        """Give the big partner ``businesses`` businesses (the tail vanishes or comes back);
        returns the previous size. ``reset()`` restores the configured size."""
        body = {"businesses": businesses}
        return self._request("POST", "/_sandbox/big-partner", timeout=60.0, body=body)["previous"]

    def stop(self) -> None:
        launched, self._launched = self._launched, None
        if launched is not None:
            launched.stop()

    def __enter__(self) -> SandboxProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
