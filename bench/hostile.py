"""`make bench-hostile`: what hostile Thredfi answers cost the production server.

Loopback only, bounded (about 30 s), stops by itself. One web process (so every request shares
its CPU and its GIL) against the sandbox's hostile fault IDs (sandbox/README.md): a money field
with a huge exponent or 100,000 digits, a balance of 10^30, a file size of "1e400", metadata
5,000 levels deep or 20,000 keys wide, a forged request id, a list claiming 10^29 pages and a list
of rows each carrying 100 KB of metadata.

It prints, per hostile answer, the dashboard's status and its time (server side, from gunicorn's
access line), and then p50/p99/max of ordinary lookups served by the same process while six
threads keep asking for hostile answers. The issue's bound: every hostile answer 200 or 502
within 3 s, never 500; other lookups under 1 s meanwhile.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests

from bench.harness import BUSINESS_GBP, DEMO_CUSTOMER_ID, HTTPS, ROOT, Dashboard, SandboxProcess
from bench.outage import percentile, server_timings
from sandbox import faults

DETAIL_FAULTS = {
    "huge exponent in a money field": faults.HUGE_EXPONENT,
    "100,000-digit money field": faults.HUGE_NUMBER_DIGITS,
    "balance of 10^30": faults.HUGE_BALANCE,
    'file size "1e400"': faults.HUGE_FILE_SIZE,
    "metadata 5,000 levels deep": faults.DEEP_METADATA,
    "metadata 20,000 keys wide": faults.WIDE_METADATA,
    "forged request id": faults.HOSTILE_REQUEST_ID,
}
LIST_FAULTS = {
    "list claiming 10^29 pages": faults.LIST_HUGE_PAGES,
    "list rows with 100 KB metadata each": faults.LIST_HOSTILE_ROWS,
}
UNDER_LOAD_SECONDS = 15.0
HAMMERS = 6


def run() -> str:
    with tempfile.TemporaryDirectory() as workdir, SandboxProcess() as sandbox:
        log_path = Path(workdir) / "dashboard.log"
        dashboard = Dashboard(
            thredfi_base_url=sandbox.base_url,
            workdir=Path(workdir),
            extra_env={"WEB_CONCURRENCY": "1", "LOG_FORMAT": "json"},
            log_path=log_path,
        )
        dashboard.prepare()
        dashboard.start()
        try:
            headers = {**HTTPS, "Cookie": dashboard.login()}
            detail = f"{dashboard.base_url}/customers/{BUSINESS_GBP}/"
            assert requests.get(f"{detail}{DEMO_CUSTOMER_ID}/", headers=headers, timeout=30).ok
            urls = {name: f"{detail}{fault}/" for name, fault in DETAIL_FAULTS.items()}
            urls |= {name: f"{detail}?q={fault}" for name, fault in LIST_FAULTS.items()}
            answers = {}
            for name, url in urls.items():
                response = requests.get(url, headers=headers, timeout=60)
                answers[name] = (response.status_code, response.headers["X-Request-ID"])
            normal, hostile = _under_load(detail, headers, list(urls.values()))
        finally:
            dashboard.stop()
        timings = server_timings(log_path)
    return _report(answers, timings, normal, hostile)


def _under_load(detail: str, headers: dict, hostile_urls: list[str]) -> tuple[list, list]:
    stop = threading.Event()
    hostile: list[tuple[int, float]] = []

    def hammer(offset: int) -> None:
        session = requests.Session()
        index = offset
        while not stop.is_set():
            started = time.perf_counter()
            url = hostile_urls[index % len(hostile_urls)]
            status = session.get(url, headers=headers, timeout=60).status_code
            hostile.append((status, time.perf_counter() - started))
            index += 1

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(HAMMERS)]
    for thread in threads:
        thread.start()
    normal: list[float] = []
    session = requests.Session()
    deadline = time.monotonic() + UNDER_LOAD_SECONDS
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = session.get(f"{detail}{DEMO_CUSTOMER_ID}/", headers=headers, timeout=60)
            assert response.status_code == 200, response.status_code
            normal.append(time.perf_counter() - started)
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    return normal, hostile


def _report(answers: dict, timings: dict, normal: list[float], hostile: list) -> str:
    lines = [
        "# bench-hostile: hostile Thredfi answers on one production process",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench-hostile`.",
        "",
        "| hostile answer | dashboard status | server time |",
        "|---|---|---|",
    ]
    for name, (status, request_id) in answers.items():
        server_ms = timings.get(request_id)
        shown = f"{server_ms:.0f} ms" if server_ms is not None else "-"
        lines.append(f"| {name} | {status} | {shown} |")
    hostile_statuses = sorted({status for status, _ in hostile})
    hostile_seconds = [seconds for _, seconds in hostile]
    lines += [
        "",
        f"While {HAMMERS} threads asked for hostile answers for {UNDER_LOAD_SECONDS:.0f} s "
        f"({len(hostile)} answers, statuses {hostile_statuses}, "
        f"slowest {max(hostile_seconds):.2f} s):",
        "",
        "| ordinary lookups on the same process | p50 | p99 | max |",
        "|---|---|---|---|",
        f"| {len(normal)} lookups | {statistics.median(normal) * 1000:.0f} ms | "
        f"{percentile(normal, 0.99) * 1000:.0f} ms | {max(normal) * 1000:.0f} ms |",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    text = run()
    print(text)
    (ROOT / "bench" / "results-hostile.md").write_text(text)


if __name__ == "__main__":
    main()
