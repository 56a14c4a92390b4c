"""Thredfi's data routes: businesses, customers and document downloads.

Each route checks its token first (:mod:`sandbox.auth`), then reads the directory. The customer
routes hand fault IDs and list-fault search terms to :mod:`sandbox.fault_answers`, so a normal
answer here is always the honest one.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from sandbox import auth, fault_answers, faults, pagination
from sandbox.customer_detail import send_customer
from sandbox.documents import s3_error
from sandbox.tokens import BUSINESS_SCOPE

if TYPE_CHECKING:
    from sandbox.server import SandboxHandler


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


# -- businesses --------------------------------------------------------------------------------


def list_businesses(handler: SandboxHandler) -> None:
    """The token's partner's businesses, paged, with absolute ``next``/``previous`` links."""
    claims = auth.partner_claims(handler)
    if claims is None:
        return
    directory = handler.server.directory
    count = directory.business_count(claims.partner_id)
    page, size, pages = pagination.page(handler, count)
    if page is None:
        return
    businesses = directory.business_page(claims.partner_id, (page - 1) * size, page * size)
    url = f"{handler.base_url}/v1/platform/businesses/?page={{}}&page_size={size}"
    handler.send_json(
        200,
        {
            "count": count,
            "next": url.format(page + 1) if page < pages else None,
            "previous": url.format(page - 1) if page > 1 else None,
            "results": [business.as_dict() for business in businesses],
        },
    )


def get_business(handler: SandboxHandler, business_id: str) -> None:
    claims = auth.claims(handler)
    if claims is None:
        return
    if claims.scope == BUSINESS_SCOPE and claims.business_id != business_id:
        handler.send_api_error(401, "token_not_valid", "Token is not valid for this business.")
        return
    business = auth.owned_business(handler, claims, business_id)
    if business is None:
        handler.send_api_error(404, "not_found", "Business not found.")
        return
    handler.send_json(200, business.as_dict())


# -- customers ---------------------------------------------------------------------------------


def list_customers(handler: SandboxHandler, business_id: str) -> None:
    """Search and page a business's customers; list-fault search terms misbehave instead."""
    business = auth.business_access(handler, business_id)
    if business is None:
        return
    term = handler.query.get("search", "")
    if term == faults.LIST_HUGE_PAGES:
        fault_answers.huge_pages(handler, business)
        return
    if term == faults.LIST_HOSTILE_ROWS:
        rows = handler.server.hostile.list_rows(business)
    else:
        rows = [entry.row for entry in handler.server.directory.search(business, term)]
    page, size, pages = pagination.page(handler, len(rows))
    if page is None:
        return
    pagination.send_rows(
        handler, len(rows), page, pages, size, rows[(page - 1) * size : page * size]
    )


def get_customer(handler: SandboxHandler, business_id: str, customer_id: str) -> None:
    """One customer with its documents; fault IDs and ``--fault-rate`` answer as faults."""
    business = auth.business_access(handler, business_id)
    if business is None:
        return
    if not _is_uuid(customer_id):
        handler.send_api_error(404, "not_found", "Customer not found.")
        return
    if customer_id in faults.BY_ID:
        fault_answers.answer(handler, business, customer_id)
        return
    entry = handler.server.directory.customer(business, customer_id)
    if entry is None:
        handler.send_api_error(404, "not_found", "Customer not found.")
        return
    rate = handler.server.config.fault_rate
    if rate and handler.server.random() < rate:
        fault_answers.answer(handler, business, handler.server.choice(faults.RANDOM_FAULTS))
        return
    send_customer(handler, entry.row, entry.documents)


# -- documents ---------------------------------------------------------------------------------


def download(handler: SandboxHandler, document_id: str, file_name: str) -> None:
    """A presigned document URL: S3-style XML errors, real bytes as an attachment."""
    file_name = unquote(file_name)
    problem = handler.server.presigner.check(
        document_id,
        file_name,
        handler.query.get("expires", ""),
        handler.query.get("signature", ""),
    )
    if problem is not None:
        message = "Request has expired"
        if problem != "AccessDenied":
            message = "The request signature we calculated does not match the one provided."
        handler.send_body(403, s3_error(problem, message, handler.request_id), "application/xml")
        return
    document = handler.server.directory.document(document_id)
    if document is None or document.file_name != file_name:
        body = s3_error("NoSuchKey", "The specified key does not exist.", handler.request_id)
        handler.send_body(404, body, "application/xml")
        return
    ascii_name = document.file_name.encode("ascii", "replace").decode().replace('"', "")
    disposition = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(document.file_name)}"
    )
    handler.send_body(
        200,
        document.content,
        document.mime_type,
        {"Content-Disposition": disposition, "Cache-Control": "private, max-age=0"},
    )
