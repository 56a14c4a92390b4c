"""Private backing services to break on purpose: a redis-server and a PostgreSQL cluster of their
own on free loopback ports, and a few people opening customer pages meanwhile.

Used by the fault tests (tests/resilience/test_backing_service_faults.py) and `make bench-chaos`.
Nothing here touches a shared server: each instance lives in its own temporary directory and is
stopped (and its directory removed) when the `with` block ends. PostgreSQL refuses to run as root,
so as root the cluster runs as the `postgres` user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from sandbox.launcher import Launched, free_port, port_open

POSTGRESQL_BIN = Path(os.environ.get("POSTGRESQL_BIN", "/usr/lib/postgresql/15/bin"))


class RedisServer:
    """A throwaway redis-server (no persistence) that can be paused, killed and started again on
    the same port, as a managed Redis does during maintenance."""

    def __init__(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            raise RuntimeError("redis-server is not installed")
        self.executable = executable
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="private-redis-"))
        self.process: subprocess.Popen | None = None
        self._launched: Launched | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start (again, on the same port) through the one launcher; back once it listens."""
        argv = [
            self.executable,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.directory),
        ]  # fmt: skip
        self._launched = Launched(
            argv, name="redis-server", ready=port_open(self.port), start_timeout=10
        ).start()
        self.process = self._launched.process

    def pause(self) -> None:
        """SIGSTOP: connections stay open, nothing answers (a hung or failing-over Redis)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL: every connection is reset; the data is gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)
        if self._launched is not None:
            self._launched.stop()  # closes its output files
            self._launched = None

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


class PostgresServer:
    """A throwaway PostgreSQL 15 cluster (trust authentication on loopback only, fsync off)."""

    def __init__(self, database: str = "dashboard") -> None:
        if not (POSTGRESQL_BIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL binaries not found in {POSTGRESQL_BIN}")
        self.port = free_port()
        self.database = database
        self.directory = Path(tempfile.mkdtemp(prefix="private-postgresql-"))
        self.data = self.directory / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [*self.as_postgres, *args], capture_output=True, text=True, timeout=120
        )
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")

    def init(self) -> None:
        self._run(
            str(POSTGRESQL_BIN / "initdb"),
            "-D", str(self.data),
            "-U", "postgres",
            "--auth=trust",
            "--no-sync",
            "--no-instructions",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(POSTGRESQL_BIN / "pg_ctl"),
            "-D", str(self.data),
            "-o", options,
            "-l", str(self.directory / "postgresql.log"),
            "-w", "-t", "30",
            "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """`fast`: what a managed PostgreSQL restart or failover does to clients."""
        self._run(str(POSTGRESQL_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def _processes(self) -> list[int]:
        """The postmaster and every process it started."""
        from bench.harness import process_and_children

        return process_and_children(int((self.data / "postmaster.pid").read_text().split()[0]))

    def pause(self) -> None:
        """Silent, connections still open (SIGSTOP): what a failover or a partition looks like."""
        for pid in self._processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self._processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as admin:
            admin.execute(f'CREATE DATABASE "{self.database}"')

    def __enter__(self) -> PostgresServer:
        self.init()
        self.start()
        self.create_database()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):  # not running: no postmaster.pid
            self.resume()  # a paused server would not hear the stop
        with contextlib.suppress(RuntimeError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class Page:
    started: float
    ended: float
    status: int  # 0: no answer (connection refused, reset, or timed out)
    body: str = ""
    request_id: str = ""  # the dashboard's X-Request-ID, which its audit row carries

    @property
    def seconds(self) -> float:
        return self.ended - self.started


@dataclass
class PageLoad:
    """`people` threads each opening `url` again and again (a short pause between pages) until
    stopped; every answer is kept with its time."""

    url: str
    headers: dict[str, str]
    people: int = 6
    pause_seconds: float = 0.05
    timeout_seconds: float = 30.0
    pages: list[Page] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _person(self) -> None:
        session = requests.Session()
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                response = session.get(self.url, headers=self.headers, timeout=self.timeout_seconds)
                status, request_id = response.status_code, response.headers.get("X-Request-ID", "")
                body = response.text if status != 200 else ""
            except requests.RequestException:
                status, body, request_id = 0, "", ""
            with self._lock:
                self.pages.append(Page(started, time.monotonic(), status, body, request_id))
            self._stop.wait(self.pause_seconds)

    def __enter__(self) -> PageLoad:
        self._threads = [threading.Thread(target=self._person) for _ in range(self.people)]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(self.timeout_seconds + 5)

    def between(self, start: float, end: float) -> list[Page]:
        with self._lock:
            return [page for page in self.pages if start <= page.started < end]

    def first_ok_after(self, moment: float) -> float | None:
        """Seconds from `moment` until a page that started after it answered 200."""
        with self._lock:
            ends = [p.ended for p in self.pages if p.started >= moment and p.status == 200]
        return min(ends) - moment if ends else None
