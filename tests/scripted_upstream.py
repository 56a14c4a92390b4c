"""A tiny scripted HTTP server standing in for Thredfi where the sandbox cannot misbehave as a test
needs (still real HTTP over loopback, in a thread of the test process).

``routes`` maps (method, path without query) to a function answering the request; the partner
token route answers out of the box. ``seen`` records (method, path with query, Authorization).
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

Route = Callable[[BaseHTTPRequestHandler], None]
Seen = list[tuple[str, str, str | None]]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a dripping handler must not hold up teardown

    def __init__(self, routes: dict[tuple[str, str], Route], seen: Seen) -> None:
        self.routes = routes
        self.seen = seen
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes
    server: _Server

    def _dispatch(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.seen.append((self.command, self.path, self.headers.get("Authorization")))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        route = self.server.routes.get((self.command, path))
        if route is None:
            send_json(self, 404, {"error_code": "not_found", "message": None})
        else:
            route(self)

    do_GET = do_POST = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        pass


def send_json(handler: BaseHTTPRequestHandler, status: int, body: Any) -> None:
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.send_header("X-Request-ID", "req_scripted")
    handler.end_headers()
    handler.wfile.write(data)


def _token(handler: BaseHTTPRequestHandler) -> None:
    send_json(handler, 200, {"access_token": "tok-" + handler.command, "expires_in": 3600})


@contextmanager
def scripted_upstream(
    tls: tuple[Path, Path] | None = None,
) -> Iterator[tuple[str, dict[tuple[str, str], Route], Seen]]:
    """Run a scripted server; yields (base URL, routes to fill in, requests seen).

    ``tls`` (certificate, key) makes it speak https only, as Thredfi does.
    """
    routes: dict[tuple[str, str], Route] = {("POST", "/v1/platform/oauth2/token/"): _token}
    seen: Seen = []
    server = _Server(routes, seen)
    scheme = "http"
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}", routes, seen
    finally:
        server.shutdown()
        server.server_close()
