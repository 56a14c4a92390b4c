"""Where does a warm detail page spend its CPU? cProfile over N in-process page views.

Runs the real middleware stack, templates and Thredfi client against a local sandbox (no injected
latency), in production settings, and prints the top functions by cumulative and own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path

from bench.harness import BUSINESS_GBP, DEMO_CUSTOMER_ID, Dashboard, SandboxProcess


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--views", type=int, default=300)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--no-cprofile", action="store_true", help="time only (for py-spy)")
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
            started = time.process_time()
            for _ in range(args.views):
                client.get(target, secure=True)
            plain = time.process_time() - started
            print(f"{1000 * plain / args.views:.2f} ms CPU per request, {label} (in-process)")
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
