"""One migrated database per test session, copied for every gunicorn dashboard a test starts.

Migrating from an empty database costs a few seconds of manage.py per server; a dozen servers a
run paid that a dozen times. The template is built once per session (per xdist worker) by the
documented operator commands (``migrate``, a ``shell`` script, ``store_partner_credentials``:
so every run still proves them), then each dashboard gets a copy: the SQLite file copied, or on
PostgreSQL ``CREATE DATABASE ... TEMPLATE``.

The template holds the users the tests sign in as: "demo" (password "demo") with the sandbox's
demo partner, and "zoe" with the big partner as her default credential (tests/browser).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from bench.harness import Dashboard
from sandbox.demo import BIG_API_KEY, BIG_PARTNER_UUID, DEMO_API_KEY, DEMO_PARTNER_UUID

BIG_USER, BIG_PASSWORD = "zoe", "zoe-has-the-big-partner"
_UNUSED_UPSTREAM = "http://127.0.0.1:9"  # building the template never calls Thredfi


def _is_postgresql(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def seed(dashboard: Dashboard) -> None:
    """What an operator does on a fresh database, with the documented commands: migrate, the
    accounts from a shell script on stdin, API keys through ``store_partner_credentials``."""
    dashboard.manage("migrate", "--noinput")
    dashboard.manage(
        "shell",
        stdin=(
            "from django.contrib.auth import get_user_model\n"
            "User = get_user_model()\n"
            "User.objects.create_user('demo', password='demo')\n"
            f"User.objects.create_user({BIG_USER!r}, password={BIG_PASSWORD!r})\n"
        ),
    )
    dashboard.manage(
        "store_partner_credentials", "demo", "--partner-uuid", DEMO_PARTNER_UUID,
        "--label", "Sandbox demo partner", stdin=DEMO_API_KEY + "\n",
    )  # fmt: skip
    dashboard.manage(
        "store_partner_credentials", BIG_USER, "--default", "--partner-uuid", BIG_PARTNER_UUID,
        "--label", "Big partner", stdin=BIG_API_KEY + "\n",
    )  # fmt: skip


class DatabaseTemplate:
    """Migrated, seeded databases to copy: SQLite built at once, PostgreSQL on first need."""

    def __init__(self, workdir: Path) -> None:
        """Use the SQLite template in ``workdir``, building it unless another xdist worker of
        this run has (a lock file beside it; workers share the run's temporary directory)."""
        self.workdir = workdir
        self.sqlite_file = workdir / "db.sqlite3"
        self._postgresql: dict[str, str] = {}  # server URL (without database) -> template name
        workdir.mkdir(parents=True, exist_ok=True)
        with open(workdir / "build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            built = workdir / "built"
            if not built.exists():
                seed(Dashboard(thredfi_base_url=_UNUSED_UPSTREAM, workdir=workdir))
                built.touch()

    def provision(self, dashboard: Dashboard) -> None:
        """Give ``dashboard`` (not started yet) its own copy of the template database."""
        url = dashboard.env["DATABASE_URL"]
        if _is_postgresql(url):
            self._copy_postgresql(url)
            return
        target = Path(urlsplit(url).path)
        for suffix in ("", "-wal", "-shm"):
            source = self.sqlite_file.with_name(self.sqlite_file.name + suffix)
            copy = target.with_name(target.name + suffix)
            if source.exists():
                shutil.copyfile(source, copy)
            elif copy.exists():
                copy.unlink()

    def _copy_postgresql(self, url: str) -> None:
        import psycopg

        server = _with_database(url, "postgres")
        template = self._postgresql.get(server)
        if template is None:
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            template = f"{_database_name(url)}_template_{worker}"[:63]
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{template}"')
            builder = Dashboard(
                thredfi_base_url=_UNUSED_UPSTREAM,
                workdir=self.workdir,
                extra_env={"DATABASE_URL": _with_database(url, template)},
            )
            seed(builder)
            self._postgresql[server] = template
        target = _database_name(url)
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{template}"')

    def drop(self) -> None:
        """Drop the PostgreSQL templates (the SQLite file goes with the session's tmp dir)."""
        if not self._postgresql:
            return
        import psycopg

        for server, template in self._postgresql.items():
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        self._postgresql.clear()


def e2e_database_url() -> str | None:
    """The PostgreSQL database multi-process tests run their servers on: ``<DATABASE_URL>_e2e``,
    with the xdist worker's name appended under xdist so two workers never share one. None on
    SQLite (each server then gets a SQLite file of its own). Provisioning (re)creates it."""
    url = os.environ.get("DATABASE_URL", "")
    if not _is_postgresql(url):
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"{_database_name(url)}_e2e" + (f"_{worker}" if worker else "")
    return _with_database(url, name)
