"""Bodies of the fault IDs that answer 200 with something awkward (see :mod:`sandbox.faults`).

Kept apart from the fault table so the table stays readable, and built lazily: the 8 MB and 1 MB
bodies cost nothing until a test asks for them.
"""

from __future__ import annotations

import random
import threading
from typing import Any

from sandbox import faults
from sandbox.demo import Business, make_customer
from sandbox.documents import PDF_MIME, Document, build_pdf
from sandbox.store import CustomerStore, dumps

CUSTOMER_FIELDS = (
    "type", "id", "external_id", "reference_number", "individual_name", "company_name",
    "display_name", "email", "mobile_phone", "office_phone", "address_line1", "address_line2",
    "city", "state_county", "postal_code", "country", "full_address", "address_string",
    "vat_number", "tax_exempt", "status", "is_active", "is_archived", "transaction_tags", "notes",
    "metadata", "payment_terms_days", "credit_limit", "credit_limit_cents", "outstanding_balance",
    "documents", "created_at", "updated_at", "archived_at",
)  # fmt: skip

HOSTILE_DOCUMENT = Document(
    "0000fa17-d0c5-4000-8000-0000000000a4",
    "INV-HOSTILE-0001.pdf",
    PDF_MIME,
    build_pdf("Invoice INV-HOSTILE-0001", ["A normal document on a hostile customer."]),
)
OVERSIZED_BYTES = 8 * 1024 * 1024


def _nested(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"leaf": faults.XSS_SCRIPT}
    for level in range(depth - 1, 0, -1):
        node = {"level": level, "html": faults.XSS_IMG, "child": node}
    return node


class FaultPayloads:
    """Per-process cache of fault bodies; the normal-looking ones are seeded per (business, id)."""

    def __init__(self, seed: int, store: CustomerStore) -> None:
        self._seed = seed
        self._store = store
        self._lock = threading.Lock()
        self._normal: dict[tuple[str, str], tuple[bytes, tuple[Document, ...]]] = {}
        self._hostile: bytes | None = None
        self._oversized: dict[str, bytes] = {}
        store.add_document(HOSTILE_DOCUMENT)

    def normal(self, business: Business, customer_id: str) -> tuple[bytes, tuple[Document, ...]]:
        """An ordinary customer carrying the fault id: what the "_ONCE"/HANG ids answer with."""
        key = (business.id, customer_id)
        with self._lock:
            if key not in self._normal:
                rng = random.Random(f"{self._seed}:{business.id}:{customer_id}")
                customer, docs = make_customer(rng, business, "FAULT-0001", customer_id)
                for doc in docs:
                    self._store.add_document(doc)
                self._normal[key] = (dumps(customer), tuple(docs))
            return self._normal[key]

    def hostile(self) -> bytes:
        """Customer JSON (without documents) whose every free-text field is an injection attempt."""
        with self._lock:
            if self._hostile is None:
                self._hostile = dumps(self._hostile_customer())
            return self._hostile

    @staticmethod
    def hostile_documents(valid_url: str, ttl: int) -> list[dict[str, Any]]:
        return [
            {
                "url": "javascript:window.__pwned=1",
                "expires_in": ttl,
                "document_id": "0000fa17-d0c5-4000-8000-0000000000b1",
                "file_name": faults.XSS_SCRIPT + ".pdf",
                "file_size": 1024,
                "mime_type": "text/html",
            },
            {
                "url": "data:text/html,<script>window.__pwned=1</script>",
                "expires_in": ttl,
                "document_id": "0000fa17-d0c5-4000-8000-0000000000b2",
                "file_name": faults.XSS_IMG + ".csv",
                "file_size": 2048,
                "mime_type": "text/html",
            },
            {
                "url": valid_url,
                "expires_in": ttl,
                "document_id": HOSTILE_DOCUMENT.document_id,
                "file_name": HOSTILE_DOCUMENT.file_name,
                "file_size": HOSTILE_DOCUMENT.size,
                "mime_type": HOSTILE_DOCUMENT.mime_type,
            },
        ]

    @staticmethod
    def _hostile_customer() -> dict[str, Any]:
        script, img, template = faults.PAYLOADS
        notes_unit = f"{script}{img}{template}\n"
        return {
            "type": "CustomerData",
            "id": faults.HOSTILE,
            "external_id": img,
            "reference_number": template,
            "individual_name": script,
            "company_name": img + script,
            "display_name": script + img + template,
            "email": f"x@y.example{script}",
            "mobile_phone": img,
            "office_phone": template,
            "address_line1": script,
            "address_line2": img,
            "city": template,
            "state_county": script,
            "postal_code": img,
            "country": script,
            "full_address": "\n".join(faults.PAYLOADS),
            "address_string": ", ".join(faults.PAYLOADS),
            "vat_number": img,
            "tax_exempt": False,
            "status": "ACTIVE",
            "is_active": True,
            "is_archived": False,
            "transaction_tags": [*faults.PAYLOADS, 42, 3.5, {"x": script}, None, True, [img]],
            "notes": notes_unit * (1024 * 1024 // len(notes_unit) + 1),
            "metadata": _nested(200),
            "payment_terms_days": 30,
            "credit_limit": 100000,
            "credit_limit_cents": 100000,
            "outstanding_balance": 4900,
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-02T00:00:00Z",
            "archived_at": None,
        }

    def oversized(self, business: Business, customer_id: str) -> bytes:
        """~8 MB of valid customer JSON (a huge ``notes``) for the two oversized ids."""
        with self._lock:
            if customer_id not in self._oversized:
                rng = random.Random(f"{self._seed}:oversized")
                customer, _ = make_customer(rng, business, "FAULT-0002", customer_id)
                line = "Oversized note line: the client must cap what it reads.\n"
                customer["notes"] = line * (OVERSIZED_BYTES // len(line))
                customer["documents"] = []
                self._oversized[customer_id] = dumps(customer)
            return self._oversized[customer_id]

    @staticmethod
    def all_nulls() -> dict[str, Any]:
        customer: dict[str, Any] = dict.fromkeys(CUSTOMER_FIELDS)
        customer.update(type="CustomerData", id=faults.ALL_NULLS, status="ACTIVE")
        return customer

    @staticmethod
    def minimal() -> dict[str, Any]:
        return {"id": faults.MINIMAL, "unexpected_field": {"x": 1}, "another": [1]}
