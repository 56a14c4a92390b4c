"""Shared plumbing of the benchmarks: the sandbox, the dashboard as deployed, a logged-in session.

Everything runs on loopback and stops by itself; secrets (session cookie, bearer token) reach wrk
through a 0600 Lua file, never through argv.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sandbox.demo import BUSINESS_GBP, DEMO_API_KEY, DEMO_CUSTOMER_ID, DEMO_PARTNER_UUID  # noqa: E402
from sandbox.launcher import Launched, free_port, http_ok  # noqa: E402
from sandbox.testing import SandboxProcess  # noqa: E402

BENCH_SECRET_KEY = "bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMN"
BENCH_FERNET_KEY = "0YqfS7qv7r1C2o3yVsl4oYy6s3eI1n6l9D8y0f8J0WQ="
HTTPS = {"X-Forwarded-Proto": "https"}
GUNICORN_SIZING = ("WEB_CONCURRENCY", "GUNICORN_THREADS")

__all__ = [
    "BUSINESS_GBP",
    "DEMO_API_KEY",
    "DEMO_CUSTOMER_ID",
    "DEMO_PARTNER_UUID",
    "Dashboard",
    "SandboxProcess",
    "free_port",
]


def procfile_command(process: str) -> list[str]:
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return shlex.split(command)
    raise RuntimeError(f"no {process} process in Procfile")


def run_manage(
    env: dict[str, str], *args: str, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """One manage.py command of this checkout in `env`, its output captured: the caller judges
    the exit status (some tests expect a failure)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=timeout,
    )


@dataclass
class Dashboard:
    """The dashboard started with the Procfile's web command in production mode."""

    thredfi_base_url: str
    workdir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    cold_start_seconds: float = 0.0
    # Where the server's stdout and stderr go (its log lines); None discards them.
    log_path: Path | None = None
    # The command it runs: the Procfile's web command, or another WSGI app under the same
    # gunicorn settings (make bench's server floor).
    command: list[str] = field(default_factory=lambda: procfile_command("web"))
    _launched: Launched | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        bindir = str(Path(sys.executable).parent)
        return {
            "PATH": f"{bindir}:{os.environ['PATH']}",
            "HOME": os.environ.get("HOME", "/tmp"),
            "DEBUG": "False",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "CREDENTIALS_ENCRYPTION_KEYS": BENCH_FERNET_KEY,
            "THREDFI_BASE_URL": self.thredfi_base_url,
            "THREDFI_ALLOW_INSECURE_HTTP": "True",  # the sandbox speaks plain HTTP on loopback
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{self.port}",
            "DATABASE_URL": f"sqlite:///{self.workdir / 'db.sqlite3'}",
            "PORT": str(self.port),
            "LOG_LEVEL": "WARNING",
            # gunicorn's sizing, when the caller is comparing settings (gunicorn.conf.py).
            **{name: os.environ[name] for name in GUNICORN_SIZING if name in os.environ},
            **self.extra_env,
        }

    def prepare(
        self, username: str = "demo", password: str = "demo", *, collectstatic: bool = True
    ) -> None:
        """Migrate, build static files, and provision a support user as an operator would:
        the account from a shell script on stdin, the API key through the documented command.

        ``collectstatic=False`` when the caller has built static files already (the test
        session does, once): they live in the checkout, not in the database.
        """
        self.manage("migrate", "--noinput")
        if collectstatic:
            self.manage("collectstatic", "--noinput")
        self.manage(
            "shell",
            stdin=(
                "from django.contrib.auth import get_user_model\n"
                f"User = get_user_model()\n"
                f"User.objects.filter(username={username!r}).exists() or "
                f"User.objects.create_user({username!r}, password={password!r})\n"
            ),
        )
        self.manage(
            "store_partner_credentials",
            username,
            "--partner-uuid",
            DEMO_PARTNER_UUID,
            "--label",
            "Sandbox demo partner",
            stdin=DEMO_API_KEY + "\n",
        )

    def manage(self, *args: str, stdin: str | None = None) -> None:
        """Run one manage.py command with the server's environment; raise with its stderr."""
        result = run_manage(self.env, *args, stdin=stdin)
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")

    def start(self) -> None:
        """Start the Procfile's web command and return once /healthz answers 200."""
        self._launched = Launched(
            self.command,
            name="dashboard (gunicorn)",
            env=self.env,
            ready=http_ok(f"{self.base_url}/healthz"),
            start_timeout=30.0,
            stop_timeout=30.0,
            log_path=self.log_path,
            discard_output=self.log_path is None,
            # Quick shutdown: SIGTERM's graceful one waits out idle keep-alive connections
            # (seconds per server); nothing here needs in-flight requests finished.
            stop_signal=signal.SIGQUIT,
        ).start()
        self.process = self._launched.process
        self.cold_start_seconds = self._launched.started_seconds

    def stop(self) -> None:
        if self._launched is not None:
            self._launched.stop()

    def pids(self) -> list[int]:
        """The gunicorn master and its workers."""
        assert self.process is not None
        return process_and_children(self.process.pid)

    def count_view_events(self) -> int:
        """Audit rows of customer views in the server's own database, read directly (SQLite
        file or PostgreSQL): a manage.py shell would cost a second of interpreter start-up."""
        url = self.env["DATABASE_URL"]
        query = "SELECT COUNT(*) FROM customers_ui_lookupevent WHERE action = 'view'"
        if url.startswith("sqlite:///"):
            import sqlite3

            with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
                return int(db.execute(query).fetchone()[0])
        import psycopg

        with psycopg.connect(url) as db:
            row = db.execute(query).fetchone()
            return int(row[0]) if row else 0

    def in_process_client(self, username: str = "demo") -> Any:
        """Django's test client in this process, on the same database and settings as the
        server, logged in: for counting queries and profiling without HTTP in the way."""
        os.environ.update(self.env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "dashboard.settings"
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=username))
        return client

    def worker_pids(self) -> list[int]:
        return self.pids()[1:]

    def login_attempt(self, username: str, password: str) -> requests.Response:
        """Post the login form like a browser behind the TLS-terminating router."""
        login_url = f"{self.base_url}/accounts/login/"
        page = requests.get(login_url, headers=HTTPS, timeout=10)
        csrf_cookie = re.search(r"csrftoken=([^;]+)", page.headers["Set-Cookie"]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = requests.post(
            login_url,
            headers={
                **HTTPS,
                "Cookie": f"csrftoken={csrf_cookie}",
                "Origin": f"https://127.0.0.1:{self.port}",
                "Referer": f"https://127.0.0.1:{self.port}/accounts/login/",
            },
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=10,
        )
        response.csrf_cookie = csrf_cookie  # type: ignore[attr-defined]
        return response

    def login(self, username: str = "demo", password: str = "demo") -> str:
        """Log in and return the Cookie header a load generator should send."""
        response = self.login_attempt(username, password)
        session = re.search(r"sessionid=([^;]+)", response.headers.get("Set-Cookie", ""))
        if response.status_code != 302 or not session:
            raise RuntimeError(f"login failed: HTTP {response.status_code}")
        return f"sessionid={session.group(1)}; csrftoken={response.csrf_cookie}"


def backing_services() -> dict[str, str]:
    """BENCH_DATABASE_URL / BENCH_REDIS_URL run a bench on PostgreSQL + Redis, as deployed; by
    default SQLite and the database cache, as `make demo`."""
    names = {"BENCH_DATABASE_URL": "DATABASE_URL", "BENCH_REDIS_URL": "REDIS_URL"}
    return {name: os.environ[bench] for bench, name in names.items() if os.environ.get(bench)}


def backing_services_label() -> str:
    return "PostgreSQL + Redis" if backing_services() else "SQLite + database cache"


def process_and_children(pid: int) -> list[int]:
    """`pid` and the processes it started (a gunicorn master's workers, a postmaster's backends)."""
    children = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout.split()
    return [pid, *map(int, children)]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def business_token(sandbox_url: str, business_id: str) -> str:
    partner = requests.post(
        f"{sandbox_url}/v1/platform/oauth2/token/",
        auth=(DEMO_PARTNER_UUID, DEMO_API_KEY),
        data={"grant_type": "client_credentials"},
        timeout=10,
    ).json()["access_token"]
    return requests.post(
        f"{sandbox_url}/v1/platform/{business_id}/oauth2/token/",
        headers={"Authorization": f"Bearer {partner}"},
        timeout=10,
    ).json()["access_token"]


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int


def _to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, headers: dict[str, str], *, connections: int, seconds: int) -> WrkResult:
    """Run wrk with headers passed through a private Lua file (never on the command line)."""
    lua_lines = [f"wrk.headers[{_lua(k)}] = {_lua(v)}" for k, v in headers.items()]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        os.chmod(script.name, 0o600)
        script.write("\n".join(lua_lines) + "\n")
    try:
        threads = max(1, min(2, connections))
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "--timeout",
                "15s",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return WrkResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=_to_ms(percentiles["50"]),
        p99_ms=_to_ms(percentiles["99"]),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
