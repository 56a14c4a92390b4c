"""`make bench-outage`: 64 support staff keep looking customers up while Thredfi hangs, then it
comes back.

Loopback only, bounded (about 40 s), stops by itself. The dashboard runs as deployed (Procfile web
command, production settings, default bulkhead and breaker); the sandbox accepts connections but
never answers for OUTAGE_SECONDS, then answers again. Each simulated person opens a customer,
reads the answer (or the error page) for about a second, and opens the next, as a busy support
shift would. Meanwhile pages that need no Thredfi call are timed.

It prints p50/p99/max of /healthz, the login page and the credentials page during the outage, how
long the hung lookups took to end, when lookups started failing fast, and how soon after Thredfi
came back they succeeded again; and writes bench/results-outage.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
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
)

FAST_FAIL_SECONDS = 0.05
# A person reads an answer for about a second (0.5 to 1.5 s): people are not synchronised.
THINK_SECONDS = (0.5, 1.5)
SAMPLED_PAGES = {"/healthz": False, "/accounts/login/": False, "/credentials/": True}


@dataclass
class Lookup:
    started: float
    ended: float
    status: int
    kind: str = ""  # "open" (breaker), "busy" (bulkhead) or "" for any other answer
    request_id: str = ""  # the dashboard's X-Request-ID, to find the server's own timing
    server_ms: float | None = None  # from the gunicorn access log line

    @property
    def seconds(self) -> float:
        return self.ended - self.started


@dataclass
class OutageRun:
    outage_started: float = 0.0
    outage_ended: float = 0.0
    lookups: list[Lookup] = field(default_factory=list)
    samples: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    sample_failures: collections.Counter[str] = field(default_factory=collections.Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def during_outage(self) -> list[Lookup]:
        return [x for x in self.lookups if self.outage_started <= x.started < self.outage_ended]

    def first_fast_failure(self) -> float | None:
        fast = [
            x.started
            for x in self.during_outage()
            if x.kind == "open" and x.seconds <= FAST_FAIL_SECONDS
        ]
        return min(fast) - self.outage_started if fast else None

    def first_success_after(self) -> float | None:
        ok = [x.ended for x in self.lookups if x.started >= self.outage_ended and x.status == 200]
        return min(ok) - self.outage_ended if ok else None


def answer_kind(response: requests.Response) -> str:
    """Which guard answered a 503: the breaker (Thredfi not answering) or the bulkhead (busy)."""
    if response.status_code != 503:
        return ""
    if "Thredfi is not answering" in response.text:
        return "open"
    return "busy" if "The dashboard is busy" in response.text else ""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_outage(*, people: int = 64, outage_seconds: float = 20.0, recovery_seconds: float = 15.0):
    result = OutageRun()
    with (
        SandboxProcess(latency_ms=50, hang_seconds=int(outage_seconds) + 30) as sandbox,
        tempfile.TemporaryDirectory() as workdir,
    ):
        log_path = Path(workdir) / "dashboard.log"
        dashboard = Dashboard(
            thredfi_base_url=sandbox.base_url,
            workdir=Path(workdir),
            extra_env={"LOG_FORMAT": "json", **backing_services()},
            log_path=log_path,
        )
        dashboard.prepare()
        dashboard.start()
        try:
            cookie = dashboard.login()
            headers = {**HTTPS, "Cookie": cookie}
            detail = f"{dashboard.base_url}/customers/{BUSINESS_GBP}/"
            warm = requests.get(f"{detail}{DEMO_CUSTOMER_ID}/", headers=headers, timeout=30)
            assert warm.status_code == 200, warm.status_code
            stop = threading.Event()
            back = threading.Event()

            def person() -> None:
                session = requests.Session()
                while not stop.is_set():
                    # During the outage, different customers (every lookup hangs anyway);
                    # afterwards, one that exists, to see when lookups succeed again.
                    customer = DEMO_CUSTOMER_ID if back.is_set() else str(uuid.uuid4())
                    started = time.monotonic()
                    kind = request_id = ""
                    try:
                        response = session.get(f"{detail}{customer}/", headers=headers, timeout=60)
                        status = response.status_code
                        kind = answer_kind(response)
                        request_id = response.headers.get("X-Request-ID", "")
                    except requests.RequestException:
                        status = 0
                    lookup = Lookup(started, time.monotonic(), status, kind, request_id)
                    with result.lock:
                        result.lookups.append(lookup)
                    stop.wait(random.uniform(*THINK_SECONDS))

            def sampler(path: str, needs_login: bool) -> None:
                session = requests.Session()
                while not stop.is_set():
                    started = time.perf_counter()
                    try:
                        response = session.get(
                            dashboard.base_url + path,
                            headers=headers if needs_login else HTTPS,
                            timeout=30,
                        )
                        ok = response.status_code == 200
                    except requests.RequestException:
                        ok = False
                    seconds = time.perf_counter() - started
                    if result.outage_started and not back.is_set():
                        with result.lock:
                            result.samples[path].append(seconds)
                            if not ok:
                                result.sample_failures[path] += 1
                    stop.wait(0.1)

            threads = [threading.Thread(target=person) for _ in range(people)]
            threads += [
                threading.Thread(target=sampler, args=item) for item in SAMPLED_PAGES.items()
            ]
            sandbox.set_outage("hang")
            result.outage_started = time.monotonic()
            for thread in threads:
                thread.start()
            time.sleep(outage_seconds)
            sandbox.set_outage("off")
            result.outage_ended = time.monotonic()
            back.set()
            deadline = time.monotonic() + recovery_seconds
            while time.monotonic() < deadline and result.first_success_after() is None:
                time.sleep(0.1)
            stop.set()
            for thread in threads:
                thread.join(60)
        finally:
            dashboard.stop()
        attach_server_timings(result, log_path)
    return result


def server_timings(log_path: Path) -> dict[str, float]:
    """The server's own time per request id (gunicorn's JSON access line), in ms: the load
    generator shares the 2 cores, so what it observes includes its own queueing."""
    timings: dict[str, float] = {}
    for line in log_path.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("logger") == "gunicorn.access" and entry.get("request_id"):
            timings[entry["request_id"]] = entry["duration_ms"]
    return timings


def attach_server_timings(result: OutageRun, log_path: Path) -> None:
    timings = server_timings(log_path)
    for lookup in result.lookups:
        lookup.server_ms = timings.get(lookup.request_id)


def report(result: OutageRun, people: int, outage_seconds: float) -> str:
    lines = [
        f"# bench-outage: {people} people looking customers up, Thredfi hung for "
        f"{outage_seconds:.0f} s, then back",
        "",
        "Backing services: "
        + backing_services_label()
        + f" · measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "| page (during the outage) | samples | p50 | p99 | max | failed |",
        "|---|---|---|---|---|---|",
    ]
    for path in SAMPLED_PAGES:
        values = result.samples[path]
        if not values:
            lines.append(f"| `{path}` | 0 | - | - | - | - |")
            continue
        lines.append(
            f"| `{path}` | {len(values)} | {statistics.median(values) * 1000:.0f} ms | "
            f"{percentile(values, 0.99) * 1000:.0f} ms | {max(values) * 1000:.0f} ms | "
            f"{result.sample_failures[path]} |"
        )
    during = result.during_outage()
    statuses = collections.Counter(
        f"{x.status} {x.kind}" if x.kind else str(x.status) for x in during
    )
    by_status = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
    slow = [x.seconds for x in during if x.seconds > FAST_FAIL_SECONDS]
    fast_fail = result.first_fast_failure()
    back = result.first_success_after()
    after_open = [
        x.seconds
        for x in during
        if fast_fail is not None and x.started >= result.outage_started + fast_fail and x.kind
    ]
    after_open_server = [
        x.server_ms / 1000
        for x in during
        if fast_fail is not None
        and x.started >= result.outage_started + fast_fail
        and x.kind
        and x.server_ms is not None
    ]
    if os.environ.get("BENCH_OUTAGE_TRACE"):
        for x in sorted(during, key=lambda x: x.started):
            if x.seconds > FAST_FAIL_SECONDS:
                print(
                    f"{x.started - result.outage_started:7.2f} s  {x.seconds * 1000:7.0f} ms  "
                    f"(server {x.server_ms} ms)  {x.status} {x.kind}"
                )
    lines += [
        "",
        "| lookups during the outage | |",
        "|---|---|",
        f"| answered | {len(during)} ({by_status}) |",
        f"| longest wait for an answer | {max((x.seconds for x in during), default=0):.2f} s |",
        f"| waits longer than {FAST_FAIL_SECONDS * 1000:.0f} ms | {len(slow)} |",
        "| lookups fail fast (breaker open) after | "
        + (f"{fast_fail:.1f} s |" if fast_fail is not None else "never |"),
        "| once open: p99 / max time to a 503 (breaker or busy) | "
        + (
            f"{percentile(after_open, 0.99) * 1000:.0f} ms / {max(after_open) * 1000:.0f} ms |"
            if after_open
            else "- |"
        ),
        "| once open: p99 / max of the same, server side (gunicorn access log) | "
        + (
            f"{percentile(after_open_server, 0.99) * 1000:.0f} ms / "
            f"{max(after_open_server) * 1000:.0f} ms |"
            if after_open_server
            else "- |"
        ),
        "| lookups succeed again after Thredfi is back | "
        + (f"{back:.1f} s |" if back is not None else "not within the run |"),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=64)
    parser.add_argument("--outage-seconds", type=float, default=20.0)
    args = parser.parse_args()
    result = run_outage(people=args.people, outage_seconds=args.outage_seconds)
    text = report(result, args.people, args.outage_seconds)
    print(text)
    (ROOT / "bench" / "results-outage.md").write_text(text)


if __name__ == "__main__":
    main()
