"""`make bench-directory`: a big partner's business directory, from a cold start, at two sizes.

For 25,000 and 100,000 businesses behind a sandbox answering each page of 100 in 50 ms, on SQLite
and on PostgreSQL: the dashboard runs as deployed (Procfile web command, production settings);
a support person logs in and opens the home page for the first time. Printed per run:

- first page: how long that first home page took (it must be usable: the finder is there);
- complete: from that request until the directory holds every business (polling the progress
  bar's /businesses/status/, as the page does);
- none dropped: the directory holds exactly the partner's businesses, and a sample of them (plus
  Zephyr Quarry Ltd) is found by a slice of its own name;
- `/businesses/?q=` p50/p99, server side: measured in a separate process with Django's test
  client against the same database and cache (no HTTP in the way), HTML page and the finder's
  JSON, over a mix of queries (1-2 letters, name fragments, legal suffixes, no match).

Loopback only; everything stops by itself. PostgreSQL: a throwaway database is created on the
server of --postgres-url (CREATEDB needed) and dropped at the end; unreachable → skipped, said so.
Writes bench/results-directory.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from bench.harness import HTTPS, ROOT, Dashboard, SandboxProcess, run_manage

BENCH_USER, BENCH_PASSWORD = "bench", "bench-directory-password"
DEFAULT_POSTGRES = "postgres://dashboard_ci:dashboard_ci@127.0.0.1:5432/dashboard_ci"
TARGETS = {
    "first page (25,000)": "≤ 1 s",
    "complete (25,000)": "≤ 15 s",
    "/businesses/?q= p99": "≤ 100 ms (25,000; and 100,000 on PostgreSQL)",
}


@dataclass
class Run:
    engine: str
    businesses: int
    first_page_s: float = 0.0
    complete_s: float = 0.0
    pages: int = 0
    known: int = 0
    findable: str = ""
    search: dict[str, dict[str, float]] = field(default_factory=dict)
    note: str = ""


def _manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = run_manage(env, *args, stdin=stdin, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """A fresh database on the server of `url`, dropped afterwards."""
    import psycopg

    parts = urlsplit(url)
    name = f"dashboard_bench_directory_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_reachable(url: str) -> str:
    try:
        import psycopg

        parts = urlsplit(url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3):
            return ""
    except Exception as error:  # any failure: the PostgreSQL runs are skipped and say why
        return f"PostgreSQL not reachable ({type(error).__name__})"


def measure(
    engine: str, businesses: int, database_url: str | None, args: argparse.Namespace
) -> Run:
    from sandbox.demo import BIG_API_KEY, BIG_PARTNER_UUID

    run = Run(engine=engine, businesses=businesses)
    with (
        tempfile.TemporaryDirectory() as workdir,
        SandboxProcess(big_partner_businesses=businesses, latency_ms=args.latency_ms) as sandbox,
    ):
        extra = {"LOG_LEVEL": "WARNING"}
        if database_url:
            extra["DATABASE_URL"] = database_url
        if args.redis_url:
            extra["REDIS_URL"] = args.redis_url
        dashboard = Dashboard(
            thredfi_base_url=sandbox.base_url, workdir=Path(workdir), extra_env=extra
        )
        dashboard.prepare(username=BENCH_USER, password=BENCH_PASSWORD)
        _manage(
            dashboard.env,
            "store_partner_credentials", BENCH_USER, "--default",
            "--partner-uuid", BIG_PARTNER_UUID, "--label", "Big partner",
            stdin=BIG_API_KEY + "\n",
        )  # fmt: skip
        if args.redis_url:
            clear = "from django.core.cache import cache; cache.clear()"
            _manage(dashboard.env, "shell", "-c", clear)
        dashboard.start()
        try:
            cookie = dashboard.login(BENCH_USER, BENCH_PASSWORD)
            headers = {**HTTPS, "Cookie": cookie}
            sandbox.reset()
            started = time.monotonic()
            home = requests.get(f"{dashboard.base_url}/", headers=headers, timeout=30)
            run.first_page_s = time.monotonic() - started
            if home.status_code != 200 or 'id="id_business_q"' not in home.text:
                raise RuntimeError(f"first home page unusable: HTTP {home.status_code}")
            deadline = started + args.timeout
            status: dict[str, object] = {}
            while time.monotonic() < deadline:
                status = requests.get(
                    f"{dashboard.base_url}/businesses/status/", headers=headers, timeout=30
                ).json()
                if not status["filling"]:
                    break
                time.sleep(0.2)  # the page itself polls once a second
            run.complete_s = time.monotonic() - started
            if not status.get("complete"):
                run.note = f"directory not complete: {status}"
            run.pages = sandbox.stats()["requests"]["list_businesses"]
            child = _search_child(dashboard.env, args.rounds)
            run.known = child["known"]
            run.findable = child["findable"]
            run.search = child["search"]
            if run.known != businesses:
                run.note += f" {run.known} of {businesses} businesses in the directory"
        finally:
            dashboard.stop()
    return run


def _search_child(env: dict[str, str], rounds: int) -> dict[str, object]:
    """Run the in-process half in a fresh interpreter (Django is set up once per process)."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.directory", "--search-child", str(rounds)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "dashboard.settings"},
        text=True,
        capture_output=True,
        timeout=900,
    )
    if result.returncode != 0:
        raise RuntimeError(f"search measurement failed:\n{result.stderr[-3000:]}")
    sys.stderr.write(
        "".join(line + "\n" for line in result.stderr.splitlines() if "slowest" in line)
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def search_child(rounds: int) -> None:
    """In the dashboard's environment: check the directory and time /businesses/?q=."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from customers_ui.models import DirectoryBusiness
    from sandbox.demo import BIG_ZEPHYR_BUSINESS_ID

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=BENCH_USER))
    rows = DirectoryBusiness.objects.filter(gone_at__isnull=True)
    known = rows.count()
    rng = random.Random(13)
    ids = list(rows.values_list("id", flat=True))
    sample = list(
        DirectoryBusiness.objects.filter(pk__in=rng.sample(ids, min(300, len(ids)))).only(
            "business_id", "legal_name"
        )
    )
    sample += list(DirectoryBusiness.objects.filter(business_id=BIG_ZEPHYR_BUSINESS_ID))

    # None dropped: each sampled business is found by a slice of its own name.
    missed = 0
    for row in sample:
        fragment = row.legal_name[2:10] if len(row.legal_name) > 10 else row.legal_name
        found = False
        for page in range(1, 200):
            html = client.get(
                "/businesses/", {"q": fragment, "page": page}, secure=True
            ).content.decode()
            if f"/customers/{row.business_id}/" in html:
                found = True
                break
            if 'rel="next"' not in html:
                break
        missed += not found
    findable = f"{len(sample) - missed}/{len(sample)} sampled found by part of their name"

    names = [row.legal_name for row in sample]
    queries = ["a", "k", "ab", "zu", "ltd", "gmbh", "sarl", "sp. z", "zurich", "lodz", "xyzq"]
    queries += ["zephyr", "quarry", "kingsbr", "joinery ltd", "no such business at all"]
    queries += [name[1:7] for name in names[:40]]
    results: dict[str, dict[str, float]] = {}
    for variant, extra in (("html", {}), ("json", {"format": "json"})):
        for query in queries[:10]:  # warm-up: caches, query plans
            client.get("/businesses/", {"q": query, **extra}, secure=True)
        timings: list[float] = []
        slowest: list[tuple[float, str, int]] = []
        for round_number in range(rounds):
            for query in queries:
                start = time.perf_counter()
                response = client.get("/businesses/", {"q": query, **extra}, secure=True)
                elapsed = (time.perf_counter() - start) * 1000
                timings.append(elapsed)
                slowest.append((elapsed, query, round_number))
                assert response.status_code == 200, response.status_code
        timings.sort()
        results[variant] = {
            "n": len(timings),
            "p50": statistics.median(timings),
            "p99": timings[min(len(timings) - 1, int(len(timings) * 0.99))],
            "max": timings[-1],
        }
        for elapsed, query, round_number in sorted(slowest, reverse=True)[:5]:
            print(
                f"  slowest {variant}: {elapsed:.1f} ms q={query!r} round {round_number}",
                file=sys.stderr,
            )
    print(json.dumps({"known": known, "findable": findable, "search": results}))


def render(runs: list[Run], args: argparse.Namespace, skipped: list[str]) -> str:
    import platform

    lines = [
        "# Business directory benchmark (`make bench-directory`)",
        "",
        f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"upstream {args.latency_ms} ms a page of 100 · {args.rounds} rounds of searches"
        + (f" · cache: Redis {args.redis_url}" if args.redis_url else " · cache: database"),
        "",
        "| database | businesses | first home page | directory complete | list pages read "
        "| /businesses/?q= p50 / p99 (HTML) | p50 / p99 (JSON) | none dropped |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        html, js = run.search.get("html", {}), run.search.get("json", {})
        lines.append(
            f"| {run.engine} | {run.businesses:,} | {run.first_page_s:.2f} s "
            f"| {run.complete_s:.1f} s | {run.pages} "
            f"| {html.get('p50', 0):.1f} / {html.get('p99', 0):.1f} ms "
            f"| {js.get('p50', 0):.1f} / {js.get('p99', 0):.1f} ms "
            f"| {run.known:,} known; {run.findable}{'; ' + run.note if run.note else ''} |"
        )
    lines += ["", "Targets: " + "; ".join(f"{k} {v}" for k, v in TARGETS.items())]
    lines += [f"Skipped: {reason}" for reason in skipped]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the query mix")
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for a fill")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", ""))
    parser.add_argument("--search-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.search_child:
        search_child(args.search_child)
        return 0

    runs: list[Run] = []
    skipped: list[str] = []
    for engine in args.engines:
        if engine == "postgresql" and (reason := _postgres_reachable(args.postgres_url)):
            skipped.append(reason)
            continue
        for size in args.sizes:
            print(f"… {engine}, {size:,} businesses", file=sys.stderr, flush=True)
            if engine == "postgresql":
                with postgres_database(args.postgres_url) as url:
                    runs.append(measure(engine, size, url, args))
            else:
                runs.append(measure(engine, size, None, args))
            print(render(runs[-1:], args, []).splitlines()[-3], file=sys.stderr, flush=True)
    report = render(runs, args, skipped)
    print(report)
    (ROOT / "bench" / "results-directory.md").write_text(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
