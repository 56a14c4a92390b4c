"""How the sandbox misbehaves on purpose: the answers behind fault customer IDs and list faults.

The IDs and error answers are data in :mod:`sandbox.faults`; the odd bodies are built by
:mod:`sandbox.fault_payloads` and :mod:`sandbox.hostile_payloads`. This module only decides which
of them a request gets and writes it, so the normal routes in :mod:`sandbox.resources` stay honest.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from sandbox import faults, pagination
from sandbox.customer_detail import send_customer
from sandbox.demo import Business
from sandbox.fault_payloads import HOSTILE_DOCUMENT, FaultPayloads
from sandbox.hostile_payloads import (
    BODY_BUILDERS,
    HUGE_FILE_DOCUMENTS,
    HUGE_FILE_SIZES,
    with_request_id,
)
from sandbox.store import dumps

if TYPE_CHECKING:
    from sandbox.server import SandboxHandler

CHUNK_SIZE = 64 * 1024


def answer(handler: SandboxHandler, business: Business, customer_id: str) -> None:
    """Answer the customer-detail route for the fault ``customer_id`` (one of ``faults.BY_ID``)."""
    server = handler.server
    if customer_id in faults.ERRORS:
        status, code, message, headers, detail = faults.ERRORS[customer_id]
        handler.send_api_error(status, code, message, detail, headers)
    elif customer_id in faults.ALTERNATING:
        if server.stats.next_call_number(customer_id) % 2 == 1:
            status, code, message, headers, detail = faults.ALTERNATING[customer_id]
            handler.send_api_error(status, code, message, detail, headers)
        else:
            send_customer(handler, *server.payloads.normal(business, customer_id))
    elif customer_id == faults.HANG:
        time.sleep(server.config.hang_seconds)
        send_customer(handler, *server.payloads.normal(business, customer_id))
    elif customer_id == faults.NON_JSON:
        handler.send_body(200, faults.GATEWAY_PAGE, "text/html; charset=utf-8")
    elif customer_id == faults.OVERSIZED:
        handler.send_body(200, server.payloads.oversized(business, customer_id))
    elif customer_id == faults.OVERSIZED_CHUNKED:
        _send_chunked(handler, server.payloads.oversized(business, customer_id))
    elif customer_id == faults.WRONG_SHAPE:
        handler.send_body(200, b"[1,2,3]")
    elif customer_id == faults.HOSTILE:
        url = server.presigner.url(handler.base_url, HOSTILE_DOCUMENT)
        docs = FaultPayloads.hostile_documents(url, server.presigner.ttl_seconds)
        handler.send_body(
            200, server.payloads.hostile()[:-1] + b',"documents":' + dumps(docs) + b"}"
        )
    elif customer_id == faults.ALL_NULLS:
        handler.send_json(200, FaultPayloads.all_nulls())
    elif customer_id == faults.MINIMAL:
        handler.send_json(200, FaultPayloads.minimal())
    elif customer_id in BODY_BUILDERS:
        body = server.hostile.body(business, customer_id)
        if customer_id == faults.HUGE_FILE_SIZE:
            send_customer(handler, body, HUGE_FILE_DOCUMENTS, HUGE_FILE_SIZES)
        else:
            send_customer(handler, body, ())
    elif customer_id == faults.HOSTILE_REQUEST_ID:
        handler.request_id = faults.FORGED_REQUEST_ID_HEADER
        error = {
            "error_code": "not_found",
            "message": "Customer not found.",
            "detail": {},
            "request_id": faults.FORGED_REQUEST_ID_BODY,
        }
        handler.send_body(404, dumps(error))
    elif customer_id == faults.HOSTILE_REQUEST_ID_OK:
        handler.request_id = faults.FORGED_REQUEST_ID_HEADER
        row, docs = server.payloads.normal(business, customer_id)
        send_customer(handler, with_request_id(row, faults.FORGED_REQUEST_ID_BODY), docs)


def huge_pages(handler: SandboxHandler, business: Business) -> None:
    """LIST_HUGE_PAGES: absurd totals around the first page of the real, unfiltered list."""
    size = pagination.page_size(handler)
    pages = faults.HUGE_PAGES_TOTAL_PAGES
    page = pagination.requested_page(handler, pages)
    if page is None:
        return
    rows = [entry.row for entry in handler.server.directory.search(business, "")[:size]]
    pagination.send_rows(handler, faults.HUGE_PAGES_TOTAL_COUNT, page, pages, size, rows)


def _send_chunked(handler: SandboxHandler, body: bytes) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.send_header("X-Request-ID", handler.request_id)
    handler.end_headers()
    for start in range(0, len(body), CHUNK_SIZE):
        chunk = body[start : start + CHUNK_SIZE]
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    handler.wfile.write(b"0\r\n\r\n")
