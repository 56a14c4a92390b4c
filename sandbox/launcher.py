"""The one way tests and benchmarks start a helper process (stdlib only, importable without Django).

The sandbox, the test OpenID Connect provider, the dashboard under gunicorn, the production-server
test and the TLS Redis test all need the same five things: start from argv and environment, wait
until the process is ready (a banner line, an open port, a health URL), keep its output somewhere
that never blocks it, report that output when it dies, and stop it with a timeout. This module
does them once. It lives in ``sandbox/`` because the sandbox may import nothing of the dashboard
(.importlinter) while the tests and ``bench/`` may import the sandbox: the one place all users can
reach.

Output goes to unnamed temporary files, not pipes: nobody drains a pipe while a test runs, and a
full pipe would block the server as soon as it logs. The child's descriptor shares its file
offset with ours: the files are append-only (O_APPEND) and read with ``pread``, so reading the
banner never moves the offset the child writes at (a ``seek(0)`` once made the child overwrite
the banner).
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

REPO_ROOT = Path(__file__).resolve().parents[1]

# Loopback only: never through an HTTP proxy the environment may name.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# A readiness check: True when the process serves; may raise LaunchError to give up early.
Ready = Callable[["Launched"], bool]


class LaunchError(RuntimeError):
    """The process exited or never became ready; the message carries its output."""


def free_port() -> int:
    """A loopback port free right now (for servers that cannot listen on port 0 and report it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> Ready:
    """Ready once something accepts TCP connections on ``host:port``."""

    def check(_: Launched) -> bool:
        try:
            socket.create_connection((host, port), timeout=1).close()
        except OSError:
            return False
        return True

    return check


def http_ok(url: str) -> Ready:
    """Ready once ``url`` answers 200 (any error or other status: not yet)."""

    def check(_: Launched) -> bool:
        try:
            with _NO_PROXY.open(url, timeout=1) as response:
                return response.status == 200
        except (OSError, ValueError):
            return False

    return check


def banner(prefix: str) -> Callable[[Launched], str]:
    """What follows ``prefix`` on the process's first stdout line, once that line is complete."""

    def read(process: Launched) -> str:
        line = process.first_line()
        return line.removeprefix(prefix).strip() if line.startswith(prefix) else ""

    return read


def _default_stop_signals() -> None:
    """In the child before it runs: SIGINT and SIGTERM do what they do by default. A shell that
    starts a command in the background (`.ci/run &`) ignores SIGINT in it, every process below
    inherits that, and a server stopped with SIGINT then ran until the kill fallback."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _append_only(handle: IO[bytes]) -> IO[bytes]:
    """Every write to ``handle``'s file goes to its end, whatever offset a reader left."""
    flags = fcntl.fcntl(handle.fileno(), fcntl.F_GETFL)
    fcntl.fcntl(handle.fileno(), fcntl.F_SETFL, flags | os.O_APPEND)
    return handle


def _written(handle: IO[bytes] | None) -> str:
    """All the child wrote to ``handle``'s file, read with ``pread``: no offset moves and no
    buffer of ours can hold a stale copy."""
    if handle is None or handle.closed:
        return ""
    chunks, offset = [], 0
    while chunk := os.pread(handle.fileno(), 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


class Launched:
    """One child process: ``start()`` returns once ``ready`` says so, ``stop()`` ends it.

    ``log_path`` sends stdout and stderr to that file (appended) instead of private temporary
    files; ``discard_output`` drops them (nothing to report if the process dies).
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        name: str,
        env: Mapping[str, str] | None = None,
        cwd: Path = REPO_ROOT,
        ready: Ready | None = None,
        start_timeout: float = 20.0,
        stop_timeout: float = 10.0,
        log_path: Path | None = None,
        discard_output: bool = False,
        stop_signal: signal.Signals = signal.SIGTERM,
    ) -> None:
        self.argv = list(argv)
        self.name = name
        self.env = dict(os.environ if env is None else env)
        self.cwd = cwd
        self.ready = ready
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.log_path = log_path
        self.discard_output = discard_output
        self.stop_signal = stop_signal
        self.process: subprocess.Popen[bytes] | None = None
        self.started_seconds = 0.0
        self._stdout: IO[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} is not running"
        return self.process.pid

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> Launched:
        """Start, then poll ``ready`` every 20 ms until it is true, the process exits (LaunchError
        with its stderr) or ``start_timeout`` passes (LaunchError, process stopped)."""
        started = time.monotonic()
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        if self.discard_output:
            stdout: int | IO[bytes] = subprocess.DEVNULL
            stderr: int | IO[bytes] = subprocess.DEVNULL
        elif self.log_path is not None:
            self._stdout = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
            stdout = stderr = self._stdout
        else:
            self._stdout = _append_only(tempfile.TemporaryFile())  # noqa: SIM115 - closed in stop()
            self._stderr = _append_only(tempfile.TemporaryFile())  # noqa: SIM115 - closed in stop()
            stdout, stderr = self._stdout, self._stderr
        self.process = subprocess.Popen(  # noqa: S603 - argv built by our own test code
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdout=stdout,
            stderr=stderr,
            preexec_fn=_default_stop_signals,
        )
        deadline = started + self.start_timeout
        while True:
            if self.process.poll() is not None:
                self.fail(f"{self.name} exited with code {self.process.returncode}")
            if self.ready is None or self.ready(self):
                break
            if time.monotonic() > deadline:
                self.fail(f"{self.name} not ready after {self.start_timeout:.0f} s")
            time.sleep(0.02)
        self.started_seconds = time.monotonic() - started
        return self

    def first_line(self) -> str:
        """The first complete line the process wrote to stdout ("" until there is one)."""
        if self._stdout is None or self.log_path is not None:
            return ""
        head = os.pread(self._stdout.fileno(), 65536, 0)
        line, newline, _ = head.partition(b"\n")
        return line.decode("utf-8", "replace").strip() if newline else ""

    def output(self) -> str:
        """Everything the process wrote so far (stdout, then stderr)."""
        text = ""
        for handle in (self._stdout, self._stderr):
            text += _written(handle)
        if self.log_path is not None and self.log_path.exists():
            text += self.log_path.read_text(errors="replace")
        return text

    def stderr_text(self) -> str:
        """What the process wrote to stderr so far (its warnings and tracebacks)."""
        return _written(self._stderr)

    def fail(self, reason: str) -> None:
        """Stop the process and raise LaunchError with the end of its output."""
        output = self.output()[-5000:]
        self.stop()
        raise LaunchError(f"{reason}; output:\n{output}")

    def stop(self) -> None:
        """``stop_signal`` (SIGTERM unless told), wait ``stop_timeout``, then SIGKILL.
        Idempotent."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(self.stop_signal)
            try:
                process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=self.stop_timeout)
        for handle in (self._stdout, self._stderr):
            if handle is not None:
                handle.close()
        self._stdout = self._stderr = None

    def __enter__(self) -> Launched:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
