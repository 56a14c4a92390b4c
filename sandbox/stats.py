"""Request counters and alternating-fault state, shared by all handler threads.

Tests assert on these ("the dashboard fetched one token, not one per page view"), so every
update happens under one lock and ``/_sandbox/reset`` zeroes them atomically.

Requests are counted on arrival, before the outage switch acts, so "did the client call Thredfi
at all" reads the same in every mode; ``outage`` then says what the switch did with them.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

ROUTE_NAMES = (
    "partner_token",
    "business_token",
    "list_businesses",
    "get_business",
    "list_customers",
    "get_customer",
    "download",
    "unknown",
)

# hung = requests that started hanging; released / timed_out / abandoned = how hangs ended;
# refused / reset / edge_errors = requests closed, reset or answered by the fake edge.
OUTAGE_COUNTERS = (
    "hung",
    "released",
    "timed_out",
    "abandoned",
    "refused",
    "reset",
    "edge_errors",
)


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._calls_per_fault_id: Counter[str] = Counter()
        self._outage: Counter[str] = Counter()
        self._hanging_now = 0  # a gauge: reset() leaves it alone

    def count(self, route: str) -> None:
        with self._lock:
            self._requests[route] += 1

    def count_outage(self, counter: str) -> None:
        with self._lock:
            self._outage[counter] += 1

    def hang_started(self) -> None:
        with self._lock:
            self._outage["hung"] += 1
            self._hanging_now += 1

    def hang_ended(self, outcome: str) -> None:
        with self._lock:
            self._outage[outcome] += 1
            self._hanging_now -= 1

    def next_call_number(self, customer_id: str) -> int:
        """1 for the first call on this id since the last reset, then 2, 3, ..."""
        with self._lock:
            self._calls_per_fault_id[customer_id] += 1
            return self._calls_per_fault_id[customer_id]

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._calls_per_fault_id.clear()
            self._outage.clear()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            requests = {name: self._requests.get(name, 0) for name in ROUTE_NAMES}
            outage: dict[str, int] = {name: self._outage.get(name, 0) for name in OUTAGE_COUNTERS}
            outage["hanging_now"] = self._hanging_now
            return {
                "partner_token_requests": requests["partner_token"],
                "business_token_requests": requests["business_token"],
                "requests": requests,
                "total_requests": sum(requests.values()),
                "outage": outage,
            }
