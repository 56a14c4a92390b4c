"""Where does a warm detail page spend its CPU? cProfile over N in-process page views.

Runs the real middleware stack, templates and Thredfi client against a local sandbox (no injected
latency), in production settings, and prints the top functions by cumulative and own time.

It also times the page after a pause (`--pause-ms`, 50 by default): under `make bench` every page
waits ~50 ms for Thredfi, and on this VM a page that starts after the CPU did something else (or
nothing) for 50 ms costs ~1.5-2 ms more than one served right after the last, with the same calls
(issue #23: the gap between this script's figure and `make bench`'s is that, not the server).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from bench.harness import BUSINESS_GBP, DEMO_CUSTOMER_ID, Dashboard, SandboxProcess

# Views per timed batch. The mean over all batches is the page's cost on a quiet machine; on a
# shared one, other processes' cache and core contention inflate some batches, and the best
# batch is the steadier figure for comparing two commits (issue #23).
BATCH = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--views", type=int, default=300)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--no-cprofile", action="store_true", help="time only (for py-spy)")
    parser.add_argument("--pause-ms", type=float, default=50.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, SandboxProcess() as sandbox:
        dashboard = Dashboard(thredfi_base_url=sandbox.base_url, workdir=Path(workdir))
        dashboard.prepare()
        client = dashboard.in_process_client()
        url = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
        for _ in range(5):
            assert client.get(url, secure=True).status_code == 200
        floor_url = f"/search/?business={BUSINESS_GBP}&q=cobalt"
        for label, target in (
            ("detail page", url),
            ("floor: session+auth+redirect", floor_url),
            ("/healthz with a signed-in cookie", "/healthz"),
        ):
            batches = []
            for _ in range(max(1, args.views // BATCH)):
                started = time.process_time()
                for _ in range(BATCH):
                    client.get(target, secure=True)
                batches.append((time.process_time() - started) / BATCH)
            mean = 1000 * sum(batches) / len(batches)
            best = 1000 * min(batches)
            print(
                f"{mean:.2f} ms CPU per request, {label} (in-process; "
                f"best batch of {BATCH}: {best:.2f} ms)"
            )
        paused = []
        for _ in range(min(args.views, 100)):
            time.sleep(args.pause_ms / 1000)
            started = time.thread_time()
            client.get(url, secure=True)
            paused.append(time.thread_time() - started)
        print(
            f"{1000 * statistics.median(paused):.2f} ms CPU per request, detail page after a"
            f" {args.pause_ms:.0f} ms pause each (median; as under make bench's Thredfi latency)"
        )
        if args.no_cprofile:
            return
        profiler = cProfile.Profile()
        started = time.process_time()
        profiler.enable()
        for _ in range(args.views):
            client.get(url, secure=True)
        profiler.disable()
        cpu = time.process_time() - started
        print(f"{1000 * cpu / args.views:.2f} ms CPU per page (profiled, in-process)")
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
