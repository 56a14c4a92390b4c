"""HTTP layer: routing, auth checks, pagination, fault injection and the control routes.

``ThreadingHTTPServer`` with HTTP/1.1 keep-alive: one thread per connection, so a hanging fault or
injected latency (``time.sleep`` releases the GIL) never blocks other clients. Responses are written
through a buffered ``wfile`` with Nagle disabled so headers and body leave in one segment; otherwise
delayed ACKs add ~40 ms per keep-alive request.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import random
import re
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote

from sandbox import faults
from sandbox.config import SandboxConfig
from sandbox.demo import DEMO_API_KEY, DEMO_PARTNER_UUID, Business, build_demo_data
from sandbox.documents import Document, Presigner, s3_error
from sandbox.fault_payloads import HOSTILE_DOCUMENT, FaultPayloads
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
    request_queue_size = 256  # 32+ clients connecting at once must not overflow the backlog

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.tokens = TokenAuthority(config.token_ttl)
        self.presigner = Presigner(os.urandom(32), config.document_ttl)
        data = build_demo_data(config.seed)
        self.businesses: dict[str, Business] = data.businesses
        self.store = CustomerStore(data)
        self.payloads = FaultPayloads(config.seed, self.store)
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
        self.query = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        for methods, pattern, name, handler_name in ROUTES:
            match = pattern.match(path)
            if match is None:
                continue
            if name != "control":
                self.server.stats.count(name)
            if method not in methods:
                self._error(405, "method_not_allowed", f'Method "{method}" not allowed.')
                return
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
            return
        self.server.stats.count("unknown")
        self._error(404, "not_found", "Not found.")

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
        """The business if the token's partner owns it (the demo partner owns all three)."""
        if claims.partner_id != DEMO_PARTNER_UUID:
            return None
        return self.server.businesses.get(business_id)

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
            return self.server.businesses[business_id]
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
        if scheme.lower() != "basic" or (partner_id, api_key) != (DEMO_PARTNER_UUID, DEMO_API_KEY):
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
        businesses = [b.as_dict() for b in self.server.businesses.values()]
        page, size, pages = self._page(len(businesses))
        if page is None:
            return
        url = f"{self.base_url}/v1/platform/businesses/?page={{}}&page_size={size}"
        self._json(
            200,
            {
                "count": len(businesses),
                "next": url.format(page + 1) if page < pages else None,
                "previous": url.format(page - 1) if page > 1 else None,
                "results": businesses[(page - 1) * size : page * size],
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
        if self._business_access(business_id) is None:
            return
        entries = self.server.store.search(business_id, self.query.get("search", ""))
        page, size, pages = self._page(len(entries))
        if page is None:
            return
        rows = b",".join(e.row for e in entries[(page - 1) * size : page * size])
        envelope = dumps(
            {
                "count": len(entries),
                "page_info": {
                    "total_count": len(entries),
                    "current_page": page,
                    "total_pages": pages,
                    "page_size": size,
                },
                "results": [],
            }
        )
        self._send(200, envelope[:-3] + b"[" + rows + b"]}")

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
        entry = self.server.store.get(business_id, customer_id)
        if entry is None:
            self._error(404, "not_found", "Customer not found.")
            return
        rate = self.server.config.fault_rate
        if rate and self.server.random() < rate:
            self._fault(business, self.server.choice(faults.RANDOM_FAULTS))
            return
        self._customer(entry.row, entry.documents)

    def _customer(self, row: bytes, documents: tuple[Document, ...] | list[Document]) -> None:
        """Detail body = pre-encoded row + documents with URLs minted for this very call."""
        ttl = self.server.presigner.ttl_seconds
        now = time.time()
        docs = [
            {
                "url": self.server.presigner.url(self.base_url, doc, now),
                "expires_in": ttl,
                "document_id": doc.document_id,
                "file_name": doc.file_name,
                "file_size": doc.size,
                "mime_type": doc.mime_type,
            }
            for doc in documents
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
        document = self.server.store.documents.get(document_id)
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
        method = self.command
        server = self.server
        if action == "health" and method == "GET":
            self._json(200, {"status": "ok"})
        elif action == "stats" and method == "GET":
            self._json(200, server.stats.snapshot())
        elif action == "reset" and method == "POST":
            server.stats.reset()
            self._json(200, {"status": "reset"})
        elif action == "revoke-tokens" and method == "POST":
            server.tokens.revoke_all()
            self._json(200, {"status": "revoked"})
        else:
            self._error(404, "not_found", "Unknown sandbox control route.")


def _route(methods: str, pattern: str, name: str, handler: str) -> tuple[Any, ...]:
    return (frozenset(methods.split()), re.compile(pattern), name, handler)


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
