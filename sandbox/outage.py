"""The outage switch: make every ``/v1/`` route hang, refuse, reset or answer like a dead edge.

A resilience benchmark needs "Thredfi is down" to be something a test can flip on and off while
requests are in flight, and each way of being down fails differently in a client: a hang eats the
read timeout, a closed or reset socket surfaces as a connection error at once, and an edge
(load balancer / CDN) error arrives as HTML with a 5xx status and none of Thredfi's headers.

Hung requests park on one :class:`threading.Event` per hang period, so any number of them cost a
sleeping thread each and switching the mode away from ``hang`` wakes them all at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

OFF = "off"
HANG = "hang"
REFUSE = "refuse"
RESET = "reset"
EDGE_502 = "502"
EDGE_503 = "503"
EDGE_504 = "504"
MODES: tuple[str, ...] = (OFF, HANG, REFUSE, RESET, EDGE_503, EDGE_502, EDGE_504)

# How a hung request ended (also the names of its counters in /_sandbox/stats).
RELEASED = "released"  # the switch left "hang": answered (normally, or per the new mode)
TIMED_OUT = "timed_out"  # --hang-seconds elapsed: answered normally
ABANDONED = "abandoned"  # the client hung up first: connection closed, nothing sent

# How often a hung request checks whether its client is still there, so clients that time out
# and retry do not pile up sleeping threads for the whole --hang-seconds.
CLIENT_CHECK_SECONDS = 0.5

_TITLES = {
    EDGE_502: "502 Bad Gateway",
    EDGE_503: "503 Service Temporarily Unavailable",
    EDGE_504: "504 Gateway Time-out",
}

# What an nginx / load-balancer front end sends when the application behind it is gone.
EDGE_PAGES: dict[str, bytes] = {
    mode: (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>sandbox-edge</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()
    for mode, title in _TITLES.items()
}
EDGE_SERVER = "sandbox-edge"


class OutageSwitch:
    """The current outage mode plus the event hung requests wait on. Thread-safe."""

    def __init__(self, mode: str = OFF, hang_seconds: float = 60.0) -> None:
        self.hang_seconds = hang_seconds
        self._lock = threading.Lock()
        self._mode = OFF
        self._release = threading.Event()
        self._release.set()
        self.set(mode)

    @property
    def mode(self) -> str:
        return self._mode

    def set(self, mode: str) -> str:
        """Switch to ``mode`` and return the previous one; leaving ``hang`` wakes every waiter."""
        if mode not in MODES:
            raise ValueError(f"unknown outage mode {mode!r}; expected one of {', '.join(MODES)}")
        with self._lock:
            previous = self._mode
            if mode == HANG and previous != HANG:
                self._release = threading.Event()  # a fresh hang period
            elif mode != HANG:
                self._release.set()
            self._mode = mode
        return previous

    def wait(self, client_gone: Callable[[], bool]) -> str:
        """Block a hung request until released, timed out or abandoned (see the constants)."""
        with self._lock:
            release = self._release
        deadline = time.monotonic() + self.hang_seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return TIMED_OUT
            if release.wait(min(remaining, CLIENT_CHECK_SECONDS)):
                return RELEASED
            if client_gone():
                return ABANDONED
