"""``python -m sandbox``: parse flags (``SANDBOX_*`` env vars give defaults), print how to use it,
serve until interrupted."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sandbox import faults
from sandbox.big_partner import MAX_BUSINESSES
from sandbox.config import SandboxConfig
from sandbox.demo import (
    BIG_API_KEY,
    BIG_PARTNER_DEFAULT_BUSINESSES,
    BIG_PARTNER_UUID,
    BIG_ZEPHYR_BUSINESS_ID,
    BIG_ZEPHYR_NAME,
    BUSINESS_EUR,
    BUSINESS_GBP,
    BUSINESS_USD,
    DEMO_API_KEY,
    DEMO_CUSTOMER_ID,
    DEMO_PARTNER_UUID,
)
from sandbox.outage import MODES, OFF
from sandbox.server import SandboxServer


def _env(name: str, default: object) -> str:
    return os.environ.get(f"SANDBOX_{name.upper()}", str(default))


def parse_args(argv: Sequence[str] | None = None) -> SandboxConfig:
    defaults = SandboxConfig()
    parser = argparse.ArgumentParser(
        prog="python -m sandbox",
        description="Local Thredfi-compatible Partner API. Every flag can also be set with "
        "SANDBOX_<FLAG> (e.g. SANDBOX_LATENCY_MS=50).",
    )
    parser.add_argument("--host", default=_env("host", defaults.host))
    parser.add_argument("--port", type=int, default=int(_env("port", defaults.port)),
                        help="0 picks a free port (printed at start)")  # fmt: skip
    parser.add_argument("--latency-ms", type=int, default=int(_env("latency_ms", 0)),
                        help="delay before answering /v1/ routes")  # fmt: skip
    parser.add_argument("--jitter-ms", type=int, default=int(_env("jitter_ms", 0)),
                        help="extra random delay, uniform in [0, jitter]")  # fmt: skip
    parser.add_argument("--token-ttl", type=int, default=int(_env("token_ttl", defaults.token_ttl)))
    parser.add_argument("--document-ttl", type=int,
                        default=int(_env("document_ttl", defaults.document_ttl)))  # fmt: skip
    parser.add_argument("--hang-seconds", type=float,
                        default=float(_env("hang_seconds", defaults.hang_seconds)))  # fmt: skip
    parser.add_argument("--fault-rate", type=float, default=float(_env("fault_rate", 0.0)),
                        help="share of normal customer-detail calls that fail")  # fmt: skip
    parser.add_argument("--seed", type=int, default=int(_env("seed", defaults.seed)))
    parser.add_argument("--outage", choices=MODES, default=_env("outage", OFF),
                        help="start with /v1/ routes down in this mode (switch it at runtime "
                        "with POST /_sandbox/outage)")  # fmt: skip
    parser.add_argument("--big-partner-businesses", type=int,
                        default=int(_env("big_partner_businesses",
                                         BIG_PARTNER_DEFAULT_BUSINESSES)),
                        help="how many businesses the big demo partner has")  # fmt: skip
    parser.add_argument("--verbose", action="store_true",
                        default=_env("verbose", "").lower() in {"1", "true", "yes", "on"},
                        help="log every request to stderr")  # fmt: skip
    args = parser.parse_args(argv)
    if not 0.0 <= args.fault_rate <= 1.0:
        parser.error("--fault-rate must be between 0 and 1")
    if not 0 <= args.big_partner_businesses <= MAX_BUSINESSES:
        parser.error(f"--big-partner-businesses must be between 0 and {MAX_BUSINESSES}")
    return SandboxConfig(
        host=args.host,
        port=args.port,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        token_ttl=args.token_ttl,
        document_ttl=args.document_ttl,
        hang_seconds=args.hang_seconds,
        fault_rate=args.fault_rate,
        seed=args.seed,
        verbose=args.verbose,
        outage=args.outage,
        big_partner_businesses=args.big_partner_businesses,
    )


def banner(
    base_url: str,
    big_partner_businesses: int = BIG_PARTNER_DEFAULT_BUSINESSES,
    outage: str = OFF,
) -> str:
    """The first line is machine-read by :mod:`sandbox.testing`; keep its shape."""
    zephyr = f"{BIG_ZEPHYR_BUSINESS_ID} {BIG_ZEPHYR_NAME} (big partner)"
    if not big_partner_businesses:
        zephyr = "(none: the big partner has no businesses)"
    lines = [
        f"Thredfi sandbox listening on {base_url}",
        f"  partner uuid : {DEMO_PARTNER_UUID}",
        f"  api key      : {DEMO_API_KEY}",
        f"  businesses   : GBP {BUSINESS_GBP}",
        f"                 EUR {BUSINESS_EUR}",
        f"                 USD {BUSINESS_USD}",
        f"  demo customer: {DEMO_CUSTOMER_ID} (GBP business)",
        f"  big partner  : {BIG_PARTNER_UUID} ({big_partner_businesses:,} businesses)",
        f"  big api key  : {BIG_API_KEY}",
        f"  big business : {zephyr}",
        "  fault customer ids (any business, detail route):",
    ]
    lines += [f"    {name:<21} {customer_id}" for name, customer_id in faults.ALL.items()]
    lines += [f"  list faults: search={value}" for value in faults.LIST_FAULTS.values()]
    if outage != OFF:
        lines.append(f"  OUTAGE: /v1/ routes start in mode {outage!r} (POST /_sandbox/outage)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    server = SandboxServer(config)
    print(banner(server.base_url, config.big_partner_businesses, config.outage), flush=True)
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
