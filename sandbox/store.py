"""Read-side indexes over the demo data, with JSON serialised once at start-up.

The throughput target (hundreds of requests/s on two cores, GIL included) leaves no room for
re-serialising a customer per call, so list rows and detail bodies (minus the per-call document
URLs) are pre-encoded bytes; a request only slices, joins and appends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sandbox.demo import DemoData
from sandbox.documents import Document

SEARCH_FIELDS = (
    "display_name",
    "company_name",
    "individual_name",
    "email",
    "reference_number",
    "external_id",
)


def dumps(value: Any) -> bytes:
    """UTF-8 JSON as Django REST framework sends it (non-ASCII kept, no padding)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True, slots=True)
class Entry:
    customer: dict[str, Any]
    row: bytes  # list-row JSON: the customer without ``documents``
    haystack: str  # casefolded SEARCH_FIELDS, NUL-separated so matches cannot span fields
    documents: tuple[Document, ...]


def make_entry(customer: dict[str, Any], documents: tuple[Document, ...]) -> Entry:
    haystack = "\0".join(str(customer.get(name) or "").casefold() for name in SEARCH_FIELDS)
    return Entry(customer, dumps(customer), haystack, documents)


def sorted_entries(entries: list[Entry]) -> list[Entry]:
    """The list route's stable order: casefolded ``display_name``, then ``id``."""
    return sorted(
        entries, key=lambda e: ((e.customer["display_name"] or "").casefold(), e.customer["id"])
    )


def search_entries(entries: list[Entry], term: str) -> list[Entry]:
    """Case-insensitive substring match, keeping the order of ``entries``."""
    needle = term.strip().casefold()
    if not needle:
        return entries
    return [entry for entry in entries if needle in entry.haystack]


class CustomerStore:
    def __init__(self, data: DemoData) -> None:
        self.documents: dict[str, Document] = dict(data.documents)
        self._by_business: dict[str, list[Entry]] = {}
        self._by_id: dict[tuple[str, str], Entry] = {}
        for business_id, customers in data.customers.items():
            entries = []
            for customer in customers.values():
                docs = tuple(data.customer_documents.get(customer["id"], ()))
                entry = make_entry(customer, docs)
                entries.append(entry)
                self._by_id[(business_id, customer["id"])] = entry
            self._by_business[business_id] = sorted_entries(entries)

    def add_document(self, document: Document) -> None:
        self.documents[document.document_id] = document

    def search(self, business_id: str, term: str) -> list[Entry]:
        """Case-insensitive substring match, in the stable (display_name, id) order."""
        return search_entries(self._by_business.get(business_id, []), term)

    def get(self, business_id: str, customer_id: str) -> Entry | None:
        return self._by_id.get((business_id, customer_id))

    def count(self, business_id: str) -> int:
        return len(self._by_business.get(business_id, []))
