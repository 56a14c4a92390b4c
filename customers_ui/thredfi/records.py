"""Typed, immutable records the dashboard renders instead of raw JSON dicts.

Every field is optional because real answers carry nulls where the contract promises values;
``from_api`` tolerates wrong types (coercing or nulling) and refuses only what makes a record
meaningless: a non-object, or a customer/business without a usable UUID ``id``.

Facts several pages need are decided here, once: ids are ``uuid.UUID`` from this boundary on, a
customer has one ``name`` and one ``lifecycle``, and the answer itself is kept (``raw``) for the
one page that shows it, unformatted: formatting is the detail page's business.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from .coerce import as_bool, as_datetime, as_int, as_str, as_tuple, as_uuid
from .errors import BadResponse

__all__ = [
    "MAX_PAGES",
    "Business",
    "BusinessPage",
    "Customer",
    "CustomerPage",
    "Document",
    "Lifecycle",
]

# Deepest page a search is ever paged to (the dashboard's forms refuse beyond it too).
MAX_PAGES = 10_000
MAX_PAGE_SIZE = 1_000


class Lifecycle:
    """Codes of a customer's lifecycle status; any other upstream status passes through."""

    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"
    UNKNOWN = "UNKNOWN"


_STATUS_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,29}")
# Controls, space and DEL: never inside a link we offer (one regex scan, not a loop per character).
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


def _require_object(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise BadResponse(f"expected a JSON object for {what}, got {type(data).__name__}")
    return data


def _require_id(data: Mapping[str, Any], what: str) -> uuid.UUID:
    ident = as_uuid(data.get("id"))
    if ident is None:
        raise BadResponse(f"{what} without a valid id")
    return ident


@dataclass(frozen=True, slots=True)
class Business:
    """A business of the partner; its currency is what customer money fields are counted in."""

    id: uuid.UUID
    legal_name: str | None = None
    country: str | None = None
    currency: str | None = None
    entity_type: str | None = None
    is_active: bool | None = None

    @classmethod
    def from_api(cls, data: Any) -> Business:
        obj = _require_object(data, "business")
        currency = as_str(obj.get("currency"))
        country = as_str(obj.get("country"))
        return cls(
            id=_require_id(obj, "business"),
            legal_name=as_str(obj.get("legal_name")),
            country=country.upper() if country else country,
            currency=currency.upper() if currency else currency,
            entity_type=as_str(obj.get("entity_type")),
            is_active=as_bool(obj.get("is_active")),
        )

    def to_api(self) -> dict[str, Any]:
        """The API's own shape, so a cached business is stored as plain JSON, not a pickle."""
        return {
            "id": str(self.id),
            "legal_name": self.legal_name,
            "country": self.country,
            "currency": self.currency,
            "entity_type": self.entity_type,
            "is_active": self.is_active,
        }


@dataclass(frozen=True, slots=True)
class Document:
    """A document attached to a customer, with a presigned URL the browser is redirected to."""

    document_id: uuid.UUID | None = None  # None: upstream sent no usable UUID
    file_name: str | None = None
    file_size: int | None = None
    mime_type: str | None = None
    url: str | None = None
    expires_in: int | None = None

    @property
    def is_safe_url(self) -> bool:
        """Only plain http(s) links with a host may be offered: never javascript:/data: & co."""
        url = self.url
        if not url or url != url.strip() or _CONTROL_OR_SPACE.search(url):
            return False
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:
            return False
        return parts.scheme.lower() in ("http", "https") and bool(host)

    @classmethod
    def from_api(cls, data: Any) -> Document | None:
        """None for entries that are not objects: one broken entry should not hide the rest."""
        if not isinstance(data, Mapping):
            return None
        return cls(
            document_id=as_uuid(data.get("document_id")),
            file_name=as_str(data.get("file_name")),
            file_size=as_int(data.get("file_size")),
            mime_type=as_str(data.get("mime_type")),
            url=as_str(data.get("url")),
            expires_in=as_int(data.get("expires_in")),
        )


_CUSTOMER_INT_FIELDS = (
    "outstanding_balance",
    "credit_limit_cents",
    "credit_limit",
    "payment_terms_days",
)
_CUSTOMER_STR_FIELDS = (
    "type",
    "external_id",
    "reference_number",
    "individual_name",
    "company_name",
    "display_name",
    "email",
    "mobile_phone",
    "office_phone",
    "address_line1",
    "address_line2",
    "city",
    "state_county",
    "postal_code",
    "country",
    "full_address",
    "address_string",
    "vat_number",
    "status",
    "notes",
)


@dataclass(frozen=True, slots=True)
class Customer:
    """One end-customer of a business. Money is integer cents in the business's currency."""

    id: uuid.UUID
    type: str | None = None
    external_id: str | None = None
    reference_number: str | None = None
    individual_name: str | None = None
    company_name: str | None = None
    display_name: str | None = None
    email: str | None = None
    mobile_phone: str | None = None
    office_phone: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    state_county: str | None = None
    postal_code: str | None = None
    country: str | None = None
    full_address: str | None = None
    address_string: str | None = None
    vat_number: str | None = None
    tax_exempt: bool | None = None
    status: str | None = None
    is_active: bool | None = None
    is_archived: bool | None = None
    transaction_tags: tuple[Any, ...] = ()
    notes: str | None = None
    metadata: Any = None
    payment_terms_days: int | None = None
    credit_limit: int | None = None
    credit_limit_cents: int | None = None
    outstanding_balance: int | None = None
    documents: tuple[Document, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    archived_at: datetime | None = None
    # Fields Thredfi sent a value for that could not be read (e.g. a balance of 10^30): shown
    # as "unreadable", unlike a null, which means nobody knows.
    unreadable: frozenset[str] = frozenset()
    # The answer as received, for the detail page's "raw JSON" disclosure.
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        """The one name every page and the audit trail use ("" when Thredfi gave none).

        Thredfi derives ``display_name`` from the company or individual name, but answers carry
        nulls, so fall back along the same path it documents.
        """
        for candidate in (self.display_name, self.company_name, self.individual_name):
            if candidate and candidate.strip():
                return candidate.strip()
        return ""

    @property
    def lifecycle(self) -> str:
        """``Lifecycle.ARCHIVED``, ``ACTIVE``, another upstream status code, or ``UNKNOWN``.

        Archived wins over everything (an archived customer must never look active); an
        explicit status beats the derived ``is_active`` flag; the flag is the last resort.
        """
        status = (self.status or "").strip().upper()
        if status == Lifecycle.ARCHIVED or self.is_archived:
            return Lifecycle.ARCHIVED
        if _STATUS_CODE.fullmatch(status):
            return status
        if self.is_active:
            return Lifecycle.ACTIVE
        return Lifecycle.UNKNOWN

    @property
    def lifecycle_label(self) -> str:
        """ "Active", "Archived", "Pending", "Unknown"…: the code in words."""
        return self.lifecycle.replace("_", " ").capitalize()

    @classmethod
    def from_api(cls, data: Any) -> Customer:
        obj = _require_object(data, "customer")
        ident = _require_id(obj, "customer")
        strings = {name: as_str(obj.get(name)) for name in _CUSTOMER_STR_FIELDS}
        numbers = {name: as_int(obj.get(name)) for name in _CUSTOMER_INT_FIELDS}
        unreadable = frozenset(
            name
            for name in _CUSTOMER_INT_FIELDS
            if numbers[name] is None and obj.get(name) not in (None, "")
        )
        credit_limit = numbers["credit_limit"]
        credit_limit_cents = numbers["credit_limit_cents"]
        if credit_limit_cents is None and "credit_limit_cents" not in unreadable:
            credit_limit_cents = credit_limit
        documents = tuple(
            doc
            for doc in (Document.from_api(item) for item in as_tuple(obj.get("documents")))
            if doc is not None
        )
        return cls(
            id=ident,
            **strings,
            tax_exempt=as_bool(obj.get("tax_exempt")),
            is_active=as_bool(obj.get("is_active")),
            is_archived=as_bool(obj.get("is_archived")),
            transaction_tags=as_tuple(obj.get("transaction_tags")),
            metadata=obj.get("metadata"),
            payment_terms_days=numbers["payment_terms_days"],
            credit_limit=credit_limit,
            credit_limit_cents=credit_limit_cents,
            outstanding_balance=numbers["outstanding_balance"],
            documents=documents,
            created_at=as_datetime(obj.get("created_at")),
            updated_at=as_datetime(obj.get("updated_at")),
            archived_at=as_datetime(obj.get("archived_at")),
            unreadable=unreadable,
            raw=obj,
        )

    def document(self, document_id: uuid.UUID) -> Document | None:
        """The attached document with this id, if Thredfi still lists it."""
        for document in self.documents:
            if document.document_id == document_id:
                return document
        return None


def _count(value: Any, limit: int) -> int | None:
    """A non-negative count, clamped to ``limit``; None when absent or unreadable.

    An absurdly large JSON integer is still a claim of "very many": clamp it rather than drop it.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value > limit:
        return limit
    number = as_int(value)
    if number is None or number < 0:
        return None
    return min(number, limit)


@dataclass(frozen=True, slots=True)
class CustomerPage:
    """One page of a customer search, with enough numbers to draw the pager.

    Counts are clamped to what could be true of the rows we can page through: a ``page_info``
    claiming 10^29 pages must not become a pager (or a loop) of that size.
    """

    results: tuple[Customer, ...] = ()
    count: int = 0
    page: int = 1
    page_size: int = 20
    total_pages: int = 1

    @property
    def has_next(self) -> bool:
        return self.page < self.total_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @classmethod
    def from_api(cls, data: Any, *, page: int = 1, page_size: int = 20) -> CustomerPage:
        """``page``/``page_size`` are what we asked for, used when the answer omits them.

        Rows that are not objects or lack a usable id are skipped rather than failing the whole
        search: one broken row should not hide the others.
        """
        obj = _require_object(data, "customer list")
        raw_results = obj.get("results")
        if raw_results is None:
            raw_results = []
        if not isinstance(raw_results, list):
            raise BadResponse("customer list 'results' is not an array")
        results = []
        for row in raw_results:
            try:
                results.append(Customer.from_api(row))
            except BadResponse:
                continue
        info = obj.get("page_info")
        info = info if isinstance(info, Mapping) else {}
        size = _count(info.get("page_size"), MAX_PAGE_SIZE) or page_size
        count = _count(info.get("total_count"), MAX_PAGES * size)
        if count is None:
            count = _count(obj.get("count"), MAX_PAGES * size)
        if count is None:
            count = len(results)
        current = min(_count(info.get("current_page"), MAX_PAGES) or page, MAX_PAGES)
        total_pages = _count(info.get("total_pages"), MAX_PAGES)
        if total_pages is None:
            total_pages = math.ceil(count / size)
        total_pages = max(total_pages, 1)
        return cls(
            results=tuple(results),
            count=count,
            page=current,
            page_size=size,
            total_pages=total_pages,
        )


# The most businesses a partner's list is believed to hold: a larger ``count`` is clamped to it,
# so a hostile answer cannot make a caller plan billions of page fetches.
MAX_BUSINESSES = 10_000_000


@dataclass(frozen=True, slots=True)
class BusinessPage:
    """One page of the partner's business list, numbered, with the list's total when given.

    Callers that read a big list in parallel need the first page to tell them how many pages
    there are (``count``) and every page to say whether more follow (``has_next``).
    """

    results: tuple[Business, ...] = ()
    count: int | None = None  # None: upstream did not say
    page: int = 1
    page_size: int = 100
    has_next: bool = False

    @property
    def total_pages(self) -> int | None:
        """Pages of ``page_size`` the list spans, by its count (None when there is no count)."""
        if self.count is None:
            return None
        return max(1, math.ceil(self.count / self.page_size))

    @classmethod
    def from_api(cls, data: Any, *, page: int, page_size: int) -> BusinessPage:
        """``page``/``page_size`` are what we asked for. A bare JSON array (an unpaginated
        reading of the docs) is one complete page; rows without a usable id are skipped."""
        if isinstance(data, list):
            data = {"results": data, "count": len(data), "next": None}
        obj = _require_object(data, "business list")
        raw_results = obj.get("results")
        if raw_results is None:
            raw_results = []
        if not isinstance(raw_results, list):
            raise BadResponse("business list 'results' is not an array")
        results = []
        for row in raw_results:
            try:
                results.append(Business.from_api(row))
            except BadResponse:
                continue  # one broken row should not hide the others
        count = _count(obj.get("count"), MAX_BUSINESSES)
        if "next" in obj:
            next_link = obj.get("next")
            has_next = isinstance(next_link, str) and bool(next_link.strip())
        else:
            has_next = count is not None and page * page_size < count
        return cls(
            results=tuple(results),
            count=count,
            page=page,
            page_size=page_size,
            has_next=has_next,
        )
