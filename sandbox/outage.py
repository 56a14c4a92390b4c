"""The outage switch: make every ``/v1/`` route hang, refuse, reset or answer like a dead edge.

A resilience benchmark needs "Thredfi is down" to be something a test can flip on and off while
requests are in flight, and each way of being down fails differently in a client: a hang eats the
read timeout, a closed or reset socket surfaces as a connection error at once, and an edge
(load balancer / CDN) error arrives as HTML with a 5xx status and none of Thredfi's headers.

Hung requests park on one :class:`threading.Event` per hang period, so any number of them cost a
sleeping thread each and switching the mode away from ``hang`` wakes them all at once.

:func:`answered` applies the current mode to one request: the server calls it for every ``/v1/``
request, after reading it and before routing.
"""

from __future__ import annotations

import os
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.server import SandboxHandler

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


def answered(handler: SandboxHandler) -> bool:
    """Apply the outage mode to this ``/v1/`` request; ``True`` when it was dealt with."""
    server = handler.server
    mode = server.outage.mode
    if mode == HANG:
        outcome = ABANDONED
        server.stats.hang_started()
        try:
            outcome = server.outage.wait(lambda: _client_gone(handler))
        finally:
            server.stats.hang_ended(outcome)
        if outcome == ABANDONED:
            handler.close_connection = True
            return True
        mode = server.outage.mode  # released into another outage mode, or back to normal
    if mode in (OFF, HANG):
        return False
    if mode == REFUSE:
        server.stats.count_outage("refused")
        handler.close_connection = True  # socketserver closes it; no response bytes are sent
    elif mode == RESET:
        server.stats.count_outage("reset")
        _reset_connection(handler)
    else:
        server.stats.count_outage("edge_errors")
        _edge_error(handler, mode)
    return True


def _client_gone(handler: SandboxHandler) -> bool:
    """Has the client closed or reset the connection? (Readable with nothing to read.)"""
    try:
        readable, _, _ = select.select([handler.connection], [], [], 0)
        return bool(readable) and not handler.connection.recv(1, socket.MSG_PEEK)
    except (OSError, ValueError):
        return True


def _reset_connection(handler: SandboxHandler) -> None:
    """Close with a TCP RST: SO_LINGER 0, and close the descriptor ourselves, because
    socketserver's ``shutdown(SHUT_WR)`` would send a polite FIN first."""
    handler.close_connection = True
    sock = handler.connection
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    os.close(sock.detach())  # rfile/wfile now see a closed socket and touch nothing


def _edge_error(handler: SandboxHandler, mode: str) -> None:
    """The HTML error page of the load balancer in front of Thredfi: no JSON, no request id."""
    status = int(mode)
    body = EDGE_PAGES[mode]
    handler.send_response_only(status)
    handler.send_header("Server", EDGE_SERVER)
    handler.send_header("Date", handler.date_time_string())
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
    handler.log_request(status)
