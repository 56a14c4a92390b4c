"""One request path for every upstream call: timeouts, retries, size cap, logging, error mapping.

Design choices, and why:
- urllib3 directly, not requests' Session on top of it: requests prepared every call through
  its cookie jar, hooks and environment merging, ~0.35 ms of CPU a call on a page that costs a
  few (issue #23), and none of it is wanted here (no cookies, no proxies or netrc from the
  environment, no redirects). Certificates are checked against certifi's bundle, as requests did.
- A connection pool per thread per base URL lives at module level, so the short-lived clients
  the dashboard builds per web request still reuse keep-alive connections.
- urllib3's own retries are off; ``retry_worthy`` alone decides what is safe to send again, with a
  small jittered backoff, always inside the operation's overall deadline.
- Bodies are streamed and refused past ``max_body_bytes`` so a broken or hostile upstream cannot
  make a web worker buffer megabytes.
- Logs name the path *template* (no ids, no query strings) and never headers: tokens and keys
  travel only in ``Authorization``, which is never logged.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import certifi
import urllib3
from urllib3.exceptions import HTTPError, NewConnectionError, SSLError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from .coerce import clean_request_id
from .errors import (
    BadResponse,
    RateLimited,
    ThredfiError,
    UpstreamError,
    UpstreamTimeout,
    UpstreamTLSFailure,
    UpstreamUnreachable,
    error_from_response,
)

__all__ = [
    "ApiResponse",
    "Deadline",
    "Timeouts",
    "Transport",
    "pool_for",
    "retry_worthy",
]

logger = logging.getLogger("customers_ui.thredfi")

MAX_RETRIES = 2
GATEWAY_STATUSES = frozenset({502, 503, 504})
BACKOFF_BASE_SECONDS = 0.1
MAX_HONOURED_RETRY_AFTER = 2.0  # longer waits are the caller's decision, not a hung page's
ERROR_BODY_MAX_BYTES = 64 * 1024
CHUNK_BYTES = 64 * 1024
POOL_MAXSIZE = 10


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds. ``total`` bounds a whole client operation (token fetches and retries included),
    so a page waits at most about that long whatever upstream does."""

    connect: float = 3.05
    read: float = 8.0
    total: float = 11.0


class Deadline:
    """The time left for one client operation, on the monotonic clock."""

    __slots__ = ("_end", "_monotonic")

    def __init__(self, seconds: float, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._end = monotonic() + seconds

    def remaining(self) -> float:
        return self._end - self._monotonic()


@dataclass(frozen=True, slots=True)
class ApiResponse:
    status: int
    data: Any
    request_id: str | None


_thread_state = threading.local()

# What requests sent by default, kept: urllib3 only adds what it is asked to.
_ACCEPT_ENCODING = urllib3.util.make_headers(accept_encoding=True)["accept-encoding"]
_FORM = "application/x-www-form-urlencoded"


def _new_pool(base_url: str) -> urllib3.HTTPConnectionPool:
    # No cookies are kept and no proxy or netrc is read from the environment: urllib3 has none
    # of that, so nothing can carry one credential's state over to another's call.
    tls = {"cert_reqs": "CERT_REQUIRED", "ca_certs": certifi.where()}
    return urllib3.connection_from_url(
        base_url,
        maxsize=POOL_MAXSIZE,
        retries=False,
        **(tls if base_url.startswith("https:") else {}),
    )


def pool_for(base_url: str) -> urllib3.HTTPConnectionPool:
    """This thread's connection pool for ``base_url`` (created on first use)."""
    pools: dict[str, urllib3.HTTPConnectionPool] | None = getattr(_thread_state, "pools", None)
    if pools is None:
        pools = _thread_state.pools = {}
    pool = pools.get(base_url)
    if pool is None:
        pool = pools[base_url] = _new_pool(base_url)
    return pool


def retry_worthy(error: ThredfiError, *, method: str) -> bool:
    """Whether sending the same request again may get a better answer: decided here only.

    No answer at all (refused, reset, broken mid-body) is worth one more try for any method:
    minting a token twice is harmless. A gateway status (502/503/504) is, for idempotent GETs
    only. A TLS failure is not (a certificate problem will not fix itself in 0.2 s), nor a
    timeout (the time is gone), nor any answer Thredfi gave about the request itself.
    Rate limits have their own rule (``Retry-After``) in ``Transport.request``.
    """
    if isinstance(error, UpstreamTLSFailure):
        return False
    if isinstance(error, UpstreamUnreachable):
        return True
    return method == "GET" and isinstance(error, UpstreamError) and error.status in GATEWAY_STATUSES


class Transport:
    """Sends requests to one Thredfi base URL and turns answers into data or typed errors."""

    def __init__(
        self,
        *,
        base_url: str,
        timeouts: Timeouts,
        max_body_bytes: int,
        user_agent: str,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._base_path = urllib3.util.parse_url(self.base_url).path or ""
        self.timeouts = timeouts
        self.max_body_bytes = max_body_bytes
        self.user_agent = user_agent
        self._sleep = sleep

    @property
    def pool(self) -> urllib3.HTTPConnectionPool:
        return pool_for(self.base_url)

    def request(
        self,
        method: str,
        path_template: str,
        path_params: Mapping[str, str] | None = None,
        *,
        deadline: Deadline,
        params: Mapping[str, Any] | None = None,
        bearer: str | None = None,
        auth: tuple[str, str] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> ApiResponse:
        """One logical call with its retries; returns parsed JSON of a 2xx or raises."""
        path = path_template.format(
            **{key: quote(str(value), safe="") for key, value in (path_params or {}).items()}
        )
        # As requests encoded them: parameters set to None are left out, lists repeat the name.
        query = urlencode({k: v for k, v in (params or {}).items() if v is not None}, doseq=True)
        target = self._base_path + path + (f"?{query}" if query else "")  # the pool knows the host
        headers = {
            "User-Agent": self.user_agent,
            "Accept": "application/json",
            "Accept-Encoding": _ACCEPT_ENCODING,
        }
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        if auth is not None:  # Basic auth wins over a bearer, as it did in requests
            headers.update(urllib3.util.make_headers(basic_auth=f"{auth[0]}:{auth[1]}"))
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = _FORM
        # One budget for all retries of a call; what is worth retrying is `retry_worthy`'s call.
        retries_left = MAX_RETRIES
        waited_for_rate_limit = False
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(
                    method, target, path_template, attempt, deadline, headers, body
                )
            except RateLimited as error:
                wait = error.retry_after
                if (
                    waited_for_rate_limit
                    or wait is None
                    or wait > MAX_HONOURED_RETRY_AFTER
                    or wait >= deadline.remaining()
                ):
                    raise
                waited_for_rate_limit = True
                self._sleep(wait)
            except ThredfiError as error:
                if (
                    not retry_worthy(error, method=method)
                    or retries_left <= 0
                    or not self._backoff(attempt, deadline)
                ):
                    raise
                retries_left -= 1

    def _backoff(self, attempt: int, deadline: Deadline) -> bool:
        """Sleep ~0.1-0.4 s (jittered); False when the deadline leaves no room for a retry."""
        base = BACKOFF_BASE_SECONDS * (2 ** (attempt - 1))
        delay = min(base + random.uniform(0, base), 0.4)  # noqa: S311 - jitter, not crypto
        if deadline.remaining() - delay < 0.05:
            return False
        self._sleep(delay)
        return True

    def _attempt(
        self,
        method: str,
        target: str,
        path_template: str,
        attempt: int,
        deadline: Deadline,
        headers: Mapping[str, str],
        body: str | None,
    ) -> ApiResponse:
        remaining = deadline.remaining()
        if remaining <= 0:
            raise UpstreamTimeout("the request's time budget was used up")
        timeout = urllib3.Timeout(
            connect=min(self.timeouts.connect, remaining), read=min(self.timeouts.read, remaining)
        )
        started = time.perf_counter()
        status: int | None = None
        request_id: str | None = None
        outcome = "ok"
        try:
            try:
                response = self.pool.urlopen(
                    method,
                    target,
                    body=body,
                    headers=headers,
                    timeout=timeout,
                    retries=False,
                    redirect=False,
                    preload_content=False,
                )
            except NewConnectionError as exc:  # first: urllib3 makes it a ConnectTimeoutError
                outcome = "unreachable"
                raise UpstreamUnreachable(f"connection failed ({type(exc).__name__})") from None
            except Urllib3Timeout:
                outcome = "timeout"
                raise UpstreamTimeout() from None
            except SSLError:
                outcome = "tls_error"
                raise UpstreamTLSFailure("TLS handshake with Thredfi failed") from None
            except (HTTPError, OSError) as exc:  # refused, reset, broken before an answer
                outcome = "unreachable"
                raise UpstreamUnreachable(f"connection failed ({type(exc).__name__})") from None
            try:
                status = response.status
                request_id = clean_request_id(response.headers.get("X-Request-ID"))
                try:
                    return self._interpret(response, deadline, request_id)
                except ThredfiError as error:
                    outcome = type(error).__name__
                    raise
            finally:
                # Read to its end, the body gave the connection back to the pool already;
                # otherwise the connection is closed rather than reused half-read.
                response.close()
                response.release_conn()
        finally:
            self._log(method, path_template, status, started, request_id, attempt, outcome)

    def _interpret(
        self, response: urllib3.BaseHTTPResponse, deadline: Deadline, request_id: str | None
    ) -> ApiResponse:
        status = response.status
        if 200 <= status < 300:
            content_type = response.headers.get("Content-Type", "").lower()
            if content_type and "json" not in content_type:
                raise BadResponse(
                    f"expected JSON, got {content_type.split(';')[0][:50]}",
                    status=status,
                    request_id=request_id,
                )
            body = self._read_capped(response, deadline, self.max_body_bytes, request_id)
            try:
                data = json.loads(body)
            except (ValueError, RecursionError):
                raise BadResponse(
                    "response is not valid JSON", status=status, request_id=request_id
                ) from None
            if isinstance(data, dict):
                request_id = request_id or clean_request_id(data.get("request_id"))
            return ApiResponse(status=status, data=data, request_id=request_id)

        try:
            body = self._read_capped(
                response, deadline, min(self.max_body_bytes, ERROR_BODY_MAX_BYTES), request_id
            )
            parsed: Any = json.loads(body) if body else None
        except (BadResponse, ValueError, RecursionError):
            parsed = None  # the status alone still says what happened
        raise error_from_response(status, parsed, response.headers, header_request_id=request_id)

    def _read_capped(
        self,
        response: urllib3.BaseHTTPResponse,
        deadline: Deadline,
        cap: int,
        request_id: str | None,
    ) -> bytes:
        """The body, refused as soon as it is known to exceed ``cap`` (never buffered whole)."""
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.strip().isdigit() and int(declared) > cap:
            raise BadResponse(
                f"response too large ({int(declared)} bytes, limit {cap})",
                status=response.status,
                request_id=request_id,
            )
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                # Shrink every socket wait to the time left, and use read1 (whatever has
                # arrived) rather than read(n): a body dripping in slowly must not stretch the
                # operation past its deadline while a 64 KB read waits to fill up.
                remaining = deadline.remaining()
                if remaining <= 0:
                    raise UpstreamTimeout(
                        "response body took too long",
                        status=response.status,
                        request_id=request_id,
                    )
                _shrink_socket_timeout(response, min(self.timeouts.read, remaining))
                chunk = response.read1(CHUNK_BYTES, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)  # decoded size: a gzip bomb hits the cap too
                if size > cap:
                    raise BadResponse(
                        f"response too large (over {cap} bytes)",
                        status=response.status,
                        request_id=request_id,
                    )
                chunks.append(chunk)
        except urllib3.exceptions.DecodeError:
            raise BadResponse(
                "response body could not be decoded",
                status=response.status,
                request_id=request_id,
            ) from None
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
            raise UpstreamTimeout("response body took too long", request_id=request_id) from None
        except (urllib3.exceptions.HTTPError, OSError):
            raise UpstreamUnreachable("connection broke while reading the response") from None
        return b"".join(chunks)

    def _log(
        self,
        method: str,
        path_template: str,
        status: int | None,
        started: float,
        request_id: str | None,
        attempt: int,
        outcome: str,
    ) -> None:
        if not logger.isEnabledFor(logging.INFO):
            return  # nothing built for a level that is off (LOG_LEVEL=WARNING)
        duration_ms = int((time.perf_counter() - started) * 1000)
        logger.info(
            "thredfi %s %s -> %s in %d ms request_id=%s",
            method,
            path_template,
            status if status is not None else outcome,
            duration_ms,
            request_id or "-",
            extra={
                "thredfi_method": method,
                "thredfi_path": path_template,
                "thredfi_status": status,
                "thredfi_duration_ms": duration_ms,
                "thredfi_request_id": request_id,
                "thredfi_attempt": attempt,
                "thredfi_outcome": outcome,
            },
        )


def _shrink_socket_timeout(response: urllib3.BaseHTTPResponse, seconds: float) -> None:
    """Keep each further socket read inside the deadline (best effort; urllib3 internals)."""
    connection = getattr(response, "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.settimeout(max(seconds, 0.001))
