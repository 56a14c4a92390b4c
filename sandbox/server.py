"""HTTP transport: the server, one request's life (read, count, outage, route, latency, answer).

``ThreadingHTTPServer`` with HTTP/1.1 keep-alive: one thread per connection, so a hanging fault or
injected latency (``time.sleep`` releases the GIL) never blocks other clients. Responses are written
through a buffered ``wfile`` with Nagle disabled so headers and body leave in one segment; otherwise
delayed ACKs add ~40 ms per keep-alive request.

What each route does lives elsewhere, one concern per module: :mod:`sandbox.routing` (which
function answers which path), :mod:`sandbox.auth` (tokens, Basic and Bearer checks),
:mod:`sandbox.resources` (businesses, customers, documents), :mod:`sandbox.fault_answers`
(misbehaving on purpose), :mod:`sandbox.outage` (the outage switch) and :mod:`sandbox.control`
(``/_sandbox/``). The outage switch sits in front of every ``/v1/`` route, after the request has
been read and before routing, like a dead load balancer in front of a live API would.
"""

from __future__ import annotations

import os
import random
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from sandbox import outage, routing
from sandbox.big_partner import BigPartner
from sandbox.clock import SandboxClock
from sandbox.config import SandboxConfig
from sandbox.demo import Business, build_demo_data
from sandbox.directory import Directory
from sandbox.documents import Presigner
from sandbox.fault_payloads import FaultPayloads
from sandbox.hostile_payloads import HostilePayloads
from sandbox.pagination import positive_int
from sandbox.stats import Stats
from sandbox.store import CustomerStore, dumps
from sandbox.tokens import TokenAuthority


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # 64+ clients (re)connecting at once must not overflow the backlog

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.clock = SandboxClock()  # what tokens and presigned URLs expire by; tests advance it
        self.tokens = TokenAuthority(config.token_ttl, clock=self.clock)
        self.presigner = Presigner(os.urandom(32), config.document_ttl, clock=self.clock)
        data = build_demo_data(config.seed)
        self.businesses: dict[str, Business] = data.businesses
        self.store = CustomerStore(data)
        self.big = BigPartner(config.seed, config.big_partner_businesses)
        self.directory = Directory(self.businesses, self.store, self.big)
        self.payloads = FaultPayloads(config.seed, self.store)
        self.hostile = HostilePayloads(config.seed, self.store)
        self.outage = outage.OutageSwitch(config.outage, config.hang_seconds)
        self.stats = Stats()
        self._rng = random.Random(config.seed)
        self._rng_lock = threading.Lock()
        super().__init__((config.host, config.port), SandboxHandler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def random(self) -> float:
        with self._rng_lock:
            return self._rng.random()

    def choice(self, options: tuple[str, ...]) -> str:
        with self._rng_lock:
            return self._rng.choice(options)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-answer (timeouts, capped reads) are normal here, not errors."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class SandboxHandler(BaseHTTPRequestHandler):
    """One connection. Route functions get it as ``handler`` and answer through ``send_*``.

    Per request it carries ``request_id`` (also the ``X-Request-ID`` header), ``body`` (always
    drained) and ``query`` (last value of each parameter).
    """

    protocol_version = "HTTP/1.1"
    server_version = "ThredfiSandbox/1.0"
    sys_version = ""
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    server: SandboxServer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.config.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stdlib's own errors (bad request line, HEAD/OPTIONS, ...) in our envelope too."""
        self.request_id = "req_" + os.urandom(12).hex()
        self.close_connection = True
        body = dumps(
            {
                "error_code": "http_error",
                "message": message or self.responses.get(code, ("Error",))[0],
                "detail": {},
                "request_id": self.request_id,
            }
        )
        self.send_response(code, message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-ID", self.request_id)
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)

    def _dispatch(self, method: str) -> None:
        self.request_id = "req_" + os.urandom(12).hex()
        self.body = self._read_body()
        path, _, query = self.path.partition("?")
        route, match = routing.match(path)
        name = route.name if route else "unknown"
        if name != "control":
            self.server.stats.count(name)  # on arrival: outage-struck requests count too
        if path.startswith("/v1/") and outage.answered(self):
            return
        if route is None or match is None:
            self.send_api_error(404, "not_found", "Not found.")
            return
        if method not in route.methods:
            self.send_api_error(405, "method_not_allowed", f'Method "{method}" not allowed.')
            return
        self.query = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        if path.startswith("/v1/"):
            self._inject_latency()
        # UUIDs are case-insensitive; tokens and the store use the canonical lower case.
        params = {
            key: value.lower() if key.endswith("_id") else value
            for key, value in match.groupdict().items()
        }
        try:
            route.answer(self, **params)
        except (ConnectionError, TimeoutError):
            raise
        except Exception:  # a sandbox bug must still answer in the error envelope
            traceback.print_exc()
            self.send_api_error(500, "internal_server_error", "A server error occurred.")

    def _read_body(self) -> bytes:
        """Always drain the body, or the next keep-alive request would start mid-body."""
        length = positive_int(self.headers.get("Content-Length"))
        return self.rfile.read(length) if length else b""

    def _inject_latency(self) -> None:
        config = self.server.config
        delay = config.latency_ms
        if config.jitter_ms:
            delay += self.server.random() * config.jitter_ms
        if delay > 0:
            time.sleep(delay / 1000)

    # -- answering ------------------------------------------------------------------------------

    def send_body(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-ID", self.request_id)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status: int, value: Any, headers: dict[str, str] | None = None) -> None:
        self.send_body(status, dumps(value), headers=headers)

    def send_api_error(
        self,
        status: int,
        error_code: str,
        message: str,
        detail: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Thredfi's error envelope; ``request_id`` equals the ``X-Request-ID`` header."""
        body = {
            "error_code": error_code,
            "message": message,
            "detail": detail or {},
            "request_id": self.request_id,
            **(extra or {}),
        }
        if status == 401:
            headers = {"WWW-Authenticate": 'Bearer realm="api"', **(headers or {})}
        self.send_json(status, body, headers)

    @property
    def base_url(self) -> str:
        """Where the client reached us, so URLs we mint work through any host alias or port."""
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        return f"http://{host}"
