"""`make bench-faults`: concurrency 16 for 30 s with ~10% of upstream calls failing.

Proves, on loopback only and bounded in time: zero HTTP 500s from the dashboard, one audit record
per lookup (requests sent == LookupEvent rows), and worker memory that stays flat.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import threading
import time
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


def audit_rows(dashboard: Dashboard) -> int:
    os.environ.update(dashboard.env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dashboard.settings"
    import django

    django.setup()
    from customers_ui.models import LookupEvent

    return LookupEvent.objects.filter(action="view").count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--fault-rate", type=float, default=0.1)
    parser.add_argument("--latency-ms", type=int, default=20)
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory() as workdir,
        SandboxProcess(latency_ms=args.latency_ms, fault_rate=args.fault_rate) as sandbox,
    ):
        dashboard = Dashboard(thredfi_base_url=sandbox.base_url, workdir=Path(workdir))
        dashboard.prepare()
        dashboard.start()
        try:
            cookie = dashboard.login()
            ids = customer_ids(
                sandbox.base_url, BUSINESS_GBP, business_token(sandbox.base_url, BUSINESS_GBP)
            )
            urls = [f"{dashboard.base_url}/customers/{BUSINESS_GBP}/{cid}/" for cid in ids]
            headers = {**HTTPS, "Cookie": cookie}
            requests.get(urls[0], headers=headers, timeout=30)  # warm tokens and metadata
            warm_audit = 1
            rss_before = [rss_mb(pid) for pid in dashboard.worker_pids()]

            statuses: collections.Counter[int] = collections.Counter()
            errors: collections.Counter[str] = collections.Counter()
            lock = threading.Lock()
            deadline = time.monotonic() + args.seconds

            def worker(offset: int) -> None:
                session = requests.Session()
                i = offset
                while time.monotonic() < deadline:
                    url = urls[i % len(urls)]
                    i += args.concurrency
                    try:
                        status = session.get(url, headers=headers, timeout=30).status_code
                        with lock:
                            statuses[status] += 1
                    except requests.RequestException as exc:
                        with lock:
                            errors[type(exc).__name__] += 1

            threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.concurrency)]
            for thread in threads:
                thread.start()
            # Sample worker memory every 5 s: after warm-up it must stay flat, not creep.
            rss_series: list[float] = []
            while any(thread.is_alive() for thread in threads):
                time.sleep(5)
                rss_series.append(sum(rss_mb(pid) for pid in dashboard.worker_pids()))
            for thread in threads:
                thread.join()
            rss_after = [rss_mb(pid) for pid in dashboard.worker_pids()]
            sandbox_stats = sandbox.stats()
        finally:
            dashboard.stop()
        rows = audit_rows(dashboard) - warm_audit

    sent = sum(statuses.values()) + sum(errors.values())
    lines = [
        "# Load with upstream faults",
        "",
        f"`make bench-faults`: {args.concurrency} concurrent clients for {args.seconds:.0f} s,"
        f" sandbox latency {args.latency_ms} ms, fault rate {args.fault_rate:.0%}"
        f" ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores).",
        "",
        f"- requests sent: **{sent}** ({sent / args.seconds:.0f}/s)",
        "- dashboard statuses: "
        + ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items())),
        f"- HTTP 500s: **{statuses.get(500, 0)}**; client errors: {dict(errors) or 0}",
        f"- audit rows for these views: **{rows}** (requests answered: {sum(statuses.values())})",
        "- worker RSS before → after: "
        + ", ".join(f"{a:.0f} → {b:.0f} MB" for a, b in zip(rss_before, rss_after, strict=False)),
        "- all workers' RSS every 5 s: " + " → ".join(f"{mb:.0f}" for mb in rss_series) + " MB",
        "- upstream customer calls seen by the sandbox: "
        f"{sandbox_stats['requests'].get('get_customer')}",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    (ROOT / "bench" / "results-faults.md").write_text(report)
    ok = statuses.get(500, 0) == 0 and rows == sum(statuses.values()) and not errors
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
