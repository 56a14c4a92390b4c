"""`make bench-faults`: concurrency 16 for 30 s with ~10% of upstream calls failing.

Proves, on loopback only and bounded in time: zero HTTP 500s from the dashboard, one audit record
per lookup (requests sent == LookupEvent rows), and worker memory that stays flat.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.harness import (
    BUSINESS_GBP,
    HTTPS,
    ROOT,
    Dashboard,
    SandboxProcess,
    business_token,
    rss_mb,
)


def customer_ids(sandbox_url: str, business_id: str, token: str, limit: int = 100) -> list[str]:
    response = requests.get(
        f"{sandbox_url}/v1/platform/businesses/{business_id}/customers/",
        params={"page_size": limit},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    return [row["id"] for row in response.json()["results"]]


@dataclass
class FaultLoadResult:
    concurrency: int
    seconds: float
    fault_rate: float
    latency_ms: int
    statuses: collections.Counter[int]
    errors: collections.Counter[str]
    audit_rows: int
    rss_series: list[float]
    upstream_customer_calls: int

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    @property
    def sent(self) -> int:
        return self.answered + sum(self.errors.values())

    @property
    def memory_growth_mb(self) -> float:
        """Growth after the first sample (warm-up): the part that would be a leak."""
        return self.rss_series[-1] - self.rss_series[0] if len(self.rss_series) > 1 else 0.0

    @property
    def ok(self) -> bool:
        return (
            self.statuses.get(500, 0) == 0 and self.audit_rows == self.answered and not self.errors
        )


def run_fault_load(
    *,
    concurrency: int = 16,
    seconds: float = 30,
    fault_rate: float = 0.1,
    latency_ms: int = 20,
    extra_env: dict[str, str] | None = None,
    sample_every: float = 5,
    sandbox: SandboxProcess | None = None,
    provision: Callable[[Dashboard], None] | None = None,
) -> FaultLoadResult:
    """Drive detail pages of many customers while the sandbox fails `fault_rate` of calls.

    The tests pass their running ``sandbox`` (steered through its control routes, reset after)
    and ``provision`` (a copy of their migrated database) instead of a new process and
    ``Dashboard.prepare``.
    """
    with contextlib.ExitStack() as stack:
        workdir = stack.enter_context(tempfile.TemporaryDirectory())
        if sandbox is None:
            sandbox = stack.enter_context(
                SandboxProcess(latency_ms=latency_ms, fault_rate=fault_rate)
            )
        else:
            sandbox.reset()
            sandbox.configure(latency_ms=latency_ms, fault_rate=fault_rate)
            stack.callback(sandbox.reset)
        dashboard = Dashboard(
            thredfi_base_url=sandbox.base_url, workdir=Path(workdir), extra_env=extra_env or {}
        )
        (provision or Dashboard.prepare)(dashboard)
        dashboard.start()
        try:
            cookie = dashboard.login()
            ids = customer_ids(
                sandbox.base_url, BUSINESS_GBP, business_token(sandbox.base_url, BUSINESS_GBP)
            )
            urls = [f"{dashboard.base_url}/customers/{BUSINESS_GBP}/{cid}/" for cid in ids]
            headers = {**HTTPS, "Cookie": cookie}
            requests.get(urls[0], headers=headers, timeout=30)  # warm tokens and metadata
            audit_before = dashboard.count_view_events()

            statuses: collections.Counter[int] = collections.Counter()
            errors: collections.Counter[str] = collections.Counter()
            lock = threading.Lock()
            deadline = time.monotonic() + seconds

            def worker(offset: int) -> None:
                session = requests.Session()
                i = offset
                while time.monotonic() < deadline:
                    url = urls[i % len(urls)]
                    i += concurrency
                    try:
                        status = session.get(url, headers=headers, timeout=30).status_code
                        with lock:
                            statuses[status] += 1
                    except requests.RequestException as exc:
                        with lock:
                            errors[type(exc).__name__] += 1

            threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
            for thread in threads:
                thread.start()
            # Sample worker memory while the load runs: after warm-up it must stay flat.
            rss_series: list[float] = []
            while any(thread.is_alive() for thread in threads):
                time.sleep(sample_every)
                rss_series.append(sum(rss_mb(pid) for pid in dashboard.worker_pids()))
            for thread in threads:
                thread.join()
            upstream_calls = sandbox.stats()["requests"].get("get_customer", 0)
        finally:
            dashboard.stop()
        audit_rows = dashboard.count_view_events() - audit_before
    return FaultLoadResult(
        concurrency=concurrency,
        seconds=seconds,
        fault_rate=fault_rate,
        latency_ms=latency_ms,
        statuses=statuses,
        errors=errors,
        audit_rows=audit_rows,
        rss_series=rss_series,
        upstream_customer_calls=upstream_calls,
    )


def render(result: FaultLoadResult) -> str:
    lines = [
        "# Load with upstream faults",
        "",
        f"`make bench-faults`: {result.concurrency} concurrent clients for {result.seconds:.0f} s,"
        f" sandbox latency {result.latency_ms} ms, fault rate {result.fault_rate:.0%}"
        f" ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores).",
        "",
        f"- requests sent: **{result.sent}** ({result.sent / result.seconds:.0f}/s)",
        "- dashboard statuses: "
        + ", ".join(f"{code}: {count}" for code, count in sorted(result.statuses.items())),
        f"- HTTP 500s: **{result.statuses.get(500, 0)}**;"
        f" client errors: {dict(result.errors) or 0}",
        f"- audit rows for these views: **{result.audit_rows}** (requests answered:"
        f" {result.answered})",
        "- all workers' RSS while loaded: "
        + " → ".join(f"{mb:.0f}" for mb in result.rss_series)
        + f" MB (growth after warm-up {result.memory_growth_mb:+.0f} MB)",
        f"- upstream customer calls seen by the sandbox: {result.upstream_customer_calls}",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--fault-rate", type=float, default=0.1)
    parser.add_argument("--latency-ms", type=int, default=20)
    args = parser.parse_args()
    result = run_fault_load(
        concurrency=args.concurrency,
        seconds=args.seconds,
        fault_rate=args.fault_rate,
        latency_ms=args.latency_ms,
    )
    report = render(result)
    print(report)
    (ROOT / "bench" / "results-faults.md").write_text(report)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
