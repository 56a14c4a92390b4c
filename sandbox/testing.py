"""Run the sandbox as a real subprocess from tests (stdlib only, importable without Django).

A subprocess rather than an in-process thread so the code under test talks genuine HTTP to a
separate interpreter: no shared GIL skewing timeouts, and a hanging fault cannot wedge the tests.
"""

from __future__ import annotations

import json
import os
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

_REPO_ROOT = Path(__file__).resolve().parents[1]
_BANNER_PREFIX = "Thredfi sandbox listening on "
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
        self._process: subprocess.Popen[bytes] | None = None
        self._stdout: IO[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    def start(self) -> SandboxProcess:
        """Start on port 0 (the OS picks a free port: no race) and read the port from the banner."""
        # Files, not pipes: nobody drains a pipe during the tests, and a full pipe would block
        # the server as soon as it logs (--verbose).
        self._stdout = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
        env["PYTHONUNBUFFERED"] = "1"
        self._process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
            [sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", "0", *self.args],
            cwd=_REPO_ROOT,
            env=env,
            stdout=self._stdout,
            stderr=self._stderr,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._fail(f"sandbox exited with code {self._process.returncode}")
            if not self.base_url:
                self.base_url = self._read_base_url()
            if self.base_url and self._healthy():
                return self
            time.sleep(0.02)
        self._fail(f"sandbox not healthy after {START_TIMEOUT_SECONDS:.0f} s")
        raise AssertionError("unreachable")  # pragma: no cover - _fail always raises

    def _read_base_url(self) -> str:
        assert self._stdout is not None
        self._stdout.seek(0)
        first_line = self._stdout.readline().decode("utf-8", "replace").strip()
        if first_line.startswith(_BANNER_PREFIX) and self._stdout.tell() > len(first_line):
            return first_line.removeprefix(_BANNER_PREFIX).rstrip("/")
        return ""

    def _healthy(self) -> bool:
        try:
            return self._request("GET", "/_sandbox/health", timeout=1.0).get("status") == "ok"
        except (OSError, ValueError):
            return False

    def _fail(self, reason: str) -> None:
        stderr = b""
        if self._stderr is not None:
            self._stderr.seek(0)
            stderr = self._stderr.read()
        self.stop()
        raise RuntimeError(f"{reason}; stderr:\n{stderr.decode('utf-8', 'replace')}")

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

    def __enter__(self) -> SandboxProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
