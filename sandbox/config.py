"""Settings of one sandbox process (CLI flags / ``SANDBOX_*`` environment variables)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.demo import BIG_PARTNER_DEFAULT_BUSINESSES
from sandbox.outage import OFF


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    host: str = "127.0.0.1"
    port: int = 8765
    latency_ms: int = 0
    jitter_ms: int = 0
    token_ttl: int = 3600
    document_ttl: int = 300
    hang_seconds: float = 60
    fault_rate: float = 0.0
    seed: int = 42
    verbose: bool = False
    outage: str = OFF  # the mode at start and after /_sandbox/reset
    big_partner_businesses: int = BIG_PARTNER_DEFAULT_BUSINESSES
