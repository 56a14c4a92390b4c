"""HTTP layer: routing, auth checks, pagination, fault injection and the control routes.

``ThreadingHTTPServer`` with HTTP/1.1 keep-alive: one thread per connection, so a hanging fault or
injected latency (``time.sleep`` releases the GIL) never blocks other clients. Responses are written
through a buffered ``wfile`` with Nagle disabled so headers and body leave in one segment; otherwise
delayed ACKs add ~40 ms per keep-alive request.

The outage switch (:mod:`sandbox.outage`) sits in front of every ``/v1/`` route, after the request
has been read and before routing, like a dead load balancer in front of a live API would.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import random
import re
import select
import socket
import struct
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote

from sandbox import control, faults, outage
from sandbox.big_partner import BigPartner
from sandbox.config import SandboxConfig
from sandbox.demo import Business, build_demo_data
from sandbox.directory import Directory
from sandbox.documents import Document, Presigner, s3_error
from sandbox.fault_payloads import HOSTILE_DOCUMENT, FaultPayloads
from sandbox.hostile_payloads import (
    BODY_BUILDERS,
    HUGE_FILE_DOCUMENTS,
    HUGE_FILE_SIZES,
    HostilePayloads,
    with_request_id,
)
from sandbox.stats import Stats
from sandbox.store import CustomerStore, dumps
from sandbox.tokens import BUSINESS_SCOPE, PARTNER_SCOPE, Claims, TokenAuthority

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CHUNK_SIZE = 64 * 1024


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _positive_int(value: str | None) -> int | None:
    """Query/header integers the DRF way: anything but a positive integer counts as absent."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # 64+ clients (re)connecting at once must not overflow the backlog

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.tokens = TokenAuthority(config.token_ttl)
        self.presigner = Presigner(os.urandom(32), config.document_ttl)
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


RouteHandler = Callable[..., None]


class SandboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ThredfiSandbox/1.0"
    sys_version = ""
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    server: SandboxServer

    # -- plumbing -------------------------------------------------------------------------------

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
        route, match = _match(path)
        name = route[2] if route else "unknown"
        if name != "control":
            self.server.stats.count(name)  # on arrival: outage-struck requests count too
        if path.startswith("/v1/") and self._outage_answered():
            return
        if route is None or match is None:
            self._error(404, "not_found", "Not found.")
            return
        methods, _, _, handler_name = route
        if method not in methods:
            self._error(405, "method_not_allowed", f'Method "{method}" not allowed.')
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
            getattr(self, handler_name)(**params)
        except (ConnectionError, TimeoutError):
            raise
        except Exception:  # a sandbox bug must still answer in the error envelope
            traceback.print_exc()
            self._error(500, "internal_server_error", "A server error occurred.")

    # -- outage switch --------------------------------------------------------------------------

    def _outage_answered(self) -> bool:
        """Apply the outage mode to this ``/v1/`` request; ``True`` when it was dealt with."""
        server = self.server
        mode = server.outage.mode
        if mode == outage.HANG:
            outcome = outage.ABANDONED
            server.stats.hang_started()
            try:
                outcome = server.outage.wait(self._client_gone)
            finally:
                server.stats.hang_ended(outcome)
            if outcome == outage.ABANDONED:
                self.close_connection = True
                return True
            mode = server.outage.mode  # released into another outage mode, or back to normal
        if mode in (outage.OFF, outage.HANG):
            return False
        if mode == outage.REFUSE:
            server.stats.count_outage("refused")
            self.close_connection = True  # socketserver closes it; no response bytes are sent
        elif mode == outage.RESET:
            server.stats.count_outage("reset")
            self._reset_connection()
        else:
            server.stats.count_outage("edge_errors")
            self._edge_error(mode)
        return True

    def _client_gone(self) -> bool:
        """Has the client closed or reset the connection? (Readable with nothing to read.)"""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and not self.connection.recv(1, socket.MSG_PEEK)
        except (OSError, ValueError):
            return True

    def _reset_connection(self) -> None:
        """Close with a TCP RST: SO_LINGER 0, and close the descriptor ourselves, because
        socketserver's ``shutdown(SHUT_WR)`` would send a polite FIN first."""
        self.close_connection = True
        sock = self.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        os.close(sock.detach())  # rfile/wfile now see a closed socket and touch nothing

    def _edge_error(self, mode: str) -> None:
        """The HTML error page of the load balancer in front of Thredfi: no JSON, no request id."""
        status = int(mode)
        body = outage.EDGE_PAGES[mode]
        self.send_response_only(status)
        self.send_header("Server", outage.EDGE_SERVER)
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.log_request(status)

    # -- request plumbing -----------------------------------------------------------------------

    def _read_body(self) -> bytes:
        """Always drain the body, or the next keep-alive request would start mid-body."""
        length = _positive_int(self.headers.get("Content-Length"))
        return self.rfile.read(length) if length else b""

    def _inject_latency(self) -> None:
        config = self.server.config
        delay = config.latency_ms
        if config.jitter_ms:
            delay += self.server.random() * config.jitter_ms
        if delay > 0:
            time.sleep(delay / 1000)

    def _send(
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

    def _json(self, status: int, value: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, dumps(value), headers=headers)

    def _error(
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
        self._json(status, body, headers)

    @property
    def base_url(self) -> str:
        """Where the client reached us, so URLs we mint work through any host alias or port."""
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        return f"http://{host}"

    # -- auth -----------------------------------------------------------------------------------

    def _claims(self) -> Claims | None:
        """Claims of the Bearer token, or ``None`` after answering 401."""
        scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            self._error(401, "not_authenticated", "Authentication credentials were not provided.")
            return None
        claims = self.server.tokens.verify(token.strip())
        if claims is None:
            self._error(
                401,
                "token_not_valid",
                "Given token not valid for any token type.",
                {"reason": "invalid, expired or revoked token"},
            )
        return claims

    def _owns(self, claims: Claims, business_id: str) -> Business | None:
        """The business if the token's partner owns it right now."""
        return self.server.directory.business(claims.partner_id, business_id)

    def _partner_claims(self) -> Claims | None:
        claims = self._claims()
        if claims is not None and claims.scope != PARTNER_SCOPE:
            self._error(
                401,
                "token_not_valid",
                "This endpoint needs a partner token; a business-scoped token was presented.",
            )
            return None
        return claims

    def _business_access(self, business_id: str) -> Business | None:
        """The business when the token may read its customers; otherwise answers and ``None``.

        Business tokens are valid only for URLs with their own business id (401 otherwise, as
        Thredfi documents). A partner token here gets 403: the guide says unscoped tokens cannot
        read customers, and 403 tells the client that re-authenticating will not help.
        """
        claims = self._claims()
        if claims is None:
            return None
        if claims.scope == BUSINESS_SCOPE:
            if claims.business_id != business_id:
                self._error(401, "token_not_valid", "Token is not valid for this business.", {})
                return None
            business = self._owns(claims, business_id)
            if business is None:  # a big-partner business that has since gone upstream
                self._error(404, "not_found", "Business not found.")
            return business
        business = self._owns(claims, business_id)
        if business is None:
            self._error(404, "not_found", "Business not found.")
            return None
        self._error(
            403,
            "permission_denied",
            "A business-scoped token is required for customer endpoints.",
            {"required_scope": BUSINESS_SCOPE},
        )
        return None

    # -- OAuth ----------------------------------------------------------------------------------

    def _grant_type(self) -> str | None:
        content_type = self.headers.get("Content-Type") or ""
        text = self.body.decode("utf-8", "replace")
        if "json" in content_type:
            try:
                value = json.loads(text or "{}")
            except ValueError:
                return None
            return value.get("grant_type") if isinstance(value, dict) else None
        return {k: v[-1] for k, v in parse_qs(text).items()}.get("grant_type")

    def partner_token(self) -> None:
        scheme, _, encoded = (self.headers.get("Authorization") or "").partition(" ")
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        partner_id, _, api_key = decoded.partition(":")
        if scheme.lower() != "basic" or not self.server.directory.valid_credentials(
            partner_id, api_key
        ):
            self._error(
                401,
                "invalid_client",
                "Invalid partner credentials.",
                extra={"error": "invalid_client"},
                headers={"WWW-Authenticate": 'Basic realm="thredfi"'},
            )
            return
        if self._grant_type() != "client_credentials":
            self._error(
                400,
                "unsupported_grant_type",
                "grant_type must be client_credentials.",
                {"field_errors": {"grant_type": ['Expected "client_credentials".']}},
                extra={
                    "error": "unsupported_grant_type",
                    "error_description": "grant_type must be client_credentials",
                },
            )
            return
        token = self.server.tokens.issue(partner_id)
        self._json(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.server.config.token_ttl,
            },
            {"Cache-Control": "no-store"},
        )

    def business_token(self, business_id: str) -> None:
        claims = self._partner_claims()
        if claims is None:
            return
        if self._owns(claims, business_id) is None:
            self._error(404, "not_found", "Business not found.")
            return
        token = self.server.tokens.issue(claims.partner_id, business_id)
        self._json(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.server.config.token_ttl,
                "scope": BUSINESS_SCOPE,
            },
            {"Cache-Control": "no-store"},
        )

    # -- businesses -----------------------------------------------------------------------------

    def list_businesses(self) -> None:
        claims = self._partner_claims()
        if claims is None:
            return
        directory = self.server.directory
        count = directory.business_count(claims.partner_id)
        page, size, pages = self._page(count)
        if page is None:
            return
        businesses = directory.business_page(claims.partner_id, (page - 1) * size, page * size)
        url = f"{self.base_url}/v1/platform/businesses/?page={{}}&page_size={size}"
        self._json(
            200,
            {
                "count": count,
                "next": url.format(page + 1) if page < pages else None,
                "previous": url.format(page - 1) if page > 1 else None,
                "results": [business.as_dict() for business in businesses],
            },
        )

    def get_business(self, business_id: str) -> None:
        claims = self._claims()
        if claims is None:
            return
        if claims.scope == BUSINESS_SCOPE and claims.business_id != business_id:
            self._error(401, "token_not_valid", "Token is not valid for this business.")
            return
        business = self._owns(claims, business_id)
        if business is None:
            self._error(404, "not_found", "Business not found.")
            return
        self._json(200, business.as_dict())

    def _page(self, count: int) -> tuple[int | None, int, int]:
        """DRF page-number pagination; out-of-range pages answer 404 "Invalid page"."""
        size = _positive_int(self.query.get("page_size")) or DEFAULT_PAGE_SIZE
        size = min(size, MAX_PAGE_SIZE)
        pages = max(1, math.ceil(count / size))
        raw = self.query.get("page")
        page = 1 if raw in (None, "") else _positive_int(raw)
        if page is None or page > pages:
            self._error(404, "not_found", "Invalid page.", {"page": raw, "total_pages": pages})
            return None, size, pages
        return page, size, pages

    # -- customers ------------------------------------------------------------------------------

    def list_customers(self, business_id: str) -> None:
        business = self._business_access(business_id)
        if business is None:
            return
        term = self.query.get("search", "")
        if term == faults.LIST_HUGE_PAGES:
            self._huge_pages(business)
            return
        if term == faults.LIST_HOSTILE_ROWS:
            rows = self.server.hostile.list_rows(business)
        else:
            rows = [entry.row for entry in self.server.directory.search(business, term)]
        page, size, pages = self._page(len(rows))
        if page is None:
            return
        self._rows(len(rows), page, pages, size, rows[(page - 1) * size : page * size])

    def _rows(self, count: int, page: int, pages: int, size: int, rows: Sequence[bytes]) -> None:
        """The list envelope around pre-encoded rows (no re-serialising of customers)."""
        envelope = dumps(
            {
                "count": count,
                "page_info": {
                    "total_count": count,
                    "current_page": page,
                    "total_pages": pages,
                    "page_size": size,
                },
                "results": [],
            }
        )
        self._send(200, envelope[:-3] + b"[" + b",".join(rows) + b"]}")

    def _huge_pages(self, business: Business) -> None:
        """LIST_HUGE_PAGES: absurd totals around the first page of the real, unfiltered list."""
        size = min(_positive_int(self.query.get("page_size")) or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        raw = self.query.get("page")
        page = 1 if raw in (None, "") else _positive_int(raw)
        pages = faults.HUGE_PAGES_TOTAL_PAGES
        if page is None or page > pages:
            self._error(404, "not_found", "Invalid page.", {"page": raw, "total_pages": pages})
            return
        rows = [entry.row for entry in self.server.directory.search(business, "")[:size]]
        self._rows(faults.HUGE_PAGES_TOTAL_COUNT, page, pages, size, rows)

    def get_customer(self, business_id: str, customer_id: str) -> None:
        business = self._business_access(business_id)
        if business is None:
            return
        if not _is_uuid(customer_id):
            self._error(404, "not_found", "Customer not found.")
            return
        if customer_id in faults.BY_ID:
            self._fault(business, customer_id)
            return
        entry = self.server.directory.customer(business, customer_id)
        if entry is None:
            self._error(404, "not_found", "Customer not found.")
            return
        rate = self.server.config.fault_rate
        if rate and self.server.random() < rate:
            self._fault(business, self.server.choice(faults.RANDOM_FAULTS))
            return
        self._customer(entry.row, entry.documents)

    def _customer(
        self,
        row: bytes,
        documents: Sequence[Document],
        file_sizes: Sequence[object] | None = None,
    ) -> None:
        """Detail body = pre-encoded row + documents with URLs minted for this very call.

        ``file_sizes`` overrides the declared sizes (HUGE_FILE_SIZE lies about them).
        """
        ttl = self.server.presigner.ttl_seconds
        now = time.time()
        sizes = file_sizes or [doc.size for doc in documents]
        docs = [
            {
                "url": self.server.presigner.url(self.base_url, doc, now),
                "expires_in": ttl,
                "document_id": doc.document_id,
                "file_name": doc.file_name,
                "file_size": size,
                "mime_type": doc.mime_type,
            }
            for doc, size in zip(documents, sizes, strict=True)
        ]
        self._send(200, row[:-1] + b',"documents":' + dumps(docs) + b"}")

    def _fault(self, business: Business, customer_id: str) -> None:
        if customer_id in faults.ERRORS:
            status, code, message, headers, detail = faults.ERRORS[customer_id]
            self._error(status, code, message, detail, headers)
        elif customer_id in faults.ALTERNATING:
            if self.server.stats.next_call_number(customer_id) % 2 == 1:
                status, code, message, headers, detail = faults.ALTERNATING[customer_id]
                self._error(status, code, message, detail, headers)
            else:
                self._customer(*self.server.payloads.normal(business, customer_id))
        elif customer_id == faults.HANG:
            time.sleep(self.server.config.hang_seconds)
            self._customer(*self.server.payloads.normal(business, customer_id))
        elif customer_id == faults.NON_JSON:
            self._send(200, faults.GATEWAY_PAGE, "text/html; charset=utf-8")
        elif customer_id == faults.OVERSIZED:
            self._send(200, self.server.payloads.oversized(business, customer_id))
        elif customer_id == faults.OVERSIZED_CHUNKED:
            self._send_chunked(self.server.payloads.oversized(business, customer_id))
        elif customer_id == faults.WRONG_SHAPE:
            self._send(200, b"[1,2,3]")
        elif customer_id == faults.HOSTILE:
            url = self.server.presigner.url(self.base_url, HOSTILE_DOCUMENT)
            docs = FaultPayloads.hostile_documents(url, self.server.presigner.ttl_seconds)
            self._send(
                200, self.server.payloads.hostile()[:-1] + b',"documents":' + dumps(docs) + b"}"
            )
        elif customer_id == faults.ALL_NULLS:
            self._json(200, FaultPayloads.all_nulls())
        elif customer_id == faults.MINIMAL:
            self._json(200, FaultPayloads.minimal())
        elif customer_id in BODY_BUILDERS:
            body = self.server.hostile.body(business, customer_id)
            if customer_id == faults.HUGE_FILE_SIZE:
                self._customer(body, HUGE_FILE_DOCUMENTS, HUGE_FILE_SIZES)
            else:
                self._customer(body, ())
        elif customer_id == faults.HOSTILE_REQUEST_ID:
            self.request_id = faults.FORGED_REQUEST_ID_HEADER
            error = {
                "error_code": "not_found",
                "message": "Customer not found.",
                "detail": {},
                "request_id": faults.FORGED_REQUEST_ID_BODY,
            }
            self._send(404, dumps(error))
        elif customer_id == faults.HOSTILE_REQUEST_ID_OK:
            self.request_id = faults.FORGED_REQUEST_ID_HEADER
            row, docs = self.server.payloads.normal(business, customer_id)
            self._customer(with_request_id(row, faults.FORGED_REQUEST_ID_BODY), docs)

    def _send_chunked(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("X-Request-ID", self.request_id)
        self.end_headers()
        for start in range(0, len(body), CHUNK_SIZE):
            chunk = body[start : start + CHUNK_SIZE]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    # -- documents ------------------------------------------------------------------------------

    def download(self, document_id: str, file_name: str) -> None:
        file_name = unquote(file_name)
        problem = self.server.presigner.check(
            document_id,
            file_name,
            self.query.get("expires", ""),
            self.query.get("signature", ""),
        )
        if problem is not None:
            message = "Request has expired"
            if problem != "AccessDenied":
                message = "The request signature we calculated does not match the one provided."
            self._send(403, s3_error(problem, message, self.request_id), "application/xml")
            return
        document = self.server.directory.document(document_id)
        if document is None or document.file_name != file_name:
            body = s3_error("NoSuchKey", "The specified key does not exist.", self.request_id)
            self._send(404, body, "application/xml")
            return
        ascii_name = document.file_name.encode("ascii", "replace").decode().replace('"', "")
        disposition = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(document.file_name)}"
        )
        self._send(
            200,
            document.content,
            document.mime_type,
            {"Content-Disposition": disposition, "Cache-Control": "private, max-age=0"},
        )

    # -- control routes (not Thredfi's) ---------------------------------------------------------

    def control(self, action: str) -> None:
        control.dispatch(self, action)


Route = tuple[frozenset[str], re.Pattern[str], str, str]  # methods, path pattern, name, handler


def _route(methods: str, pattern: str, name: str, handler: str) -> Route:
    return (frozenset(methods.split()), re.compile(pattern), name, handler)


def _match(path: str) -> tuple[Route | None, re.Match[str] | None]:
    for route in ROUTES:
        match = route[1].match(path)
        if match is not None:
            return route, match
    return None, None


ROUTES = [
    _route("POST", r"^/v1/platform/oauth2/token/?$", "partner_token", "partner_token"),
    _route("GET", r"^/v1/platform/businesses/?$", "list_businesses", "list_businesses"),
    _route(
        "POST",
        r"^/v1/platform/(?P<business_id>[^/]+)/oauth2/token/?$",
        "business_token",
        "business_token",
    ),
    _route(
        "GET", r"^/v1/platform/businesses/(?P<business_id>[^/]+)/?$", "get_business", "get_business"
    ),
    _route(
        "GET",
        r"^/v1/platform/businesses/(?P<business_id>[^/]+)/customers/?$",
        "list_customers",
        "list_customers",
    ),
    _route(
        "GET",
        r"^/v1/platform/businesses/(?P<business_id>[^/]+)/customers/(?P<customer_id>[^/]+)/?$",
        "get_customer",
        "get_customer",
    ),
    _route("GET", r"^/files/(?P<document_id>[^/]+)/(?P<file_name>[^/]+)$", "download", "download"),
    _route("GET POST", r"^/_sandbox/(?P<action>[a-z-]+)/?$", "control", "control"),
]
