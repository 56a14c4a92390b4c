"""Bodies of the hostile-number and hostile-size faults (see the ``HUGE_*`` ids in ``faults``).

They attack the parser and the formatter rather than the template: ``Decimal("1e999999999")``
happily becomes a number whose ``quantize`` or ``format`` takes forever or raises, an int of
100,000 digits trips Python's int-string limit (``ValueError``), 5,000 nested objects trip the
recursion limit of ``json.loads`` (``RecursionError``), and 10**40 bytes breaks "humanise a file
size" helpers. Everything else in the record stays valid (``id``, ``type``, ``status``) so the
record still parses as a customer wherever the client survives the hostile field.

Some bodies cannot come from ``json.dumps`` (it refuses the deep nesting too, and would need the
int limit lifted), so they are spliced into the JSON text verbatim.
"""

from __future__ import annotations

import random
import threading
from typing import Any

from sandbox import faults
from sandbox.demo import Business, make_customer
from sandbox.documents import CSV_MIME, PDF_MIME, Document, build_csv, build_pdf
from sandbox.store import CustomerStore, dumps

# HUGE_FILE_SIZE: two documents whose declared file_size is absurd (the bytes are small and
# real, so the link still works), plus one honest document.
HUGE_FILE_DOCUMENTS: tuple[Document, ...] = (
    Document(
        "0000fa17-d0c5-4000-8000-0000000000c3",
        "INV-HUGE-0001.pdf",
        PDF_MIME,
        build_pdf("Invoice INV-HUGE-0001", ['Declared file_size: "1e400".']),
    ),
    Document(
        "0000fa17-d0c5-4000-8000-0000000000c4",
        "statement-huge.csv",
        CSV_MIME,
        build_csv(["declared file_size"], [["10**40"]]),
    ),
    Document(
        "0000fa17-d0c5-4000-8000-0000000000c5",
        "INV-NORMAL-0001.pdf",
        PDF_MIME,
        build_pdf("Invoice INV-NORMAL-0001", ["A normal document on a hostile customer."]),
    ),
)
HUGE_FILE_SIZES: tuple[object, ...] = (*faults.HUGE_FILE_SIZES, HUGE_FILE_DOCUMENTS[2].size)

BODY_BUILDERS = frozenset(
    {
        faults.HUGE_EXPONENT,
        faults.HUGE_BALANCE,
        faults.HUGE_FILE_SIZE,
        faults.HUGE_NUMBER_DIGITS,
        faults.DEEP_METADATA,
        faults.WIDE_METADATA,
    }
)


def _raw(name: str) -> str:
    """A placeholder that survives ``json.dumps`` and is swapped for raw JSON text afterwards."""
    return f"\x00raw:{name}\x00"


def _splice(body: bytes, raw: dict[str, str]) -> bytes:
    for name, text in raw.items():
        body = body.replace(dumps(_raw(name)), text.encode())
    return body


def deep_object(levels: int) -> str:
    """``{"level":1,"child":{"level":2,"child":...{"level":N,"leaf":true}...}}`` as JSON text."""
    opening = "".join(f'{{"level":{level},"child":' for level in range(1, levels))
    return f'{opening}{{"level":{levels},"leaf":true}}' + "}" * (levels - 1)


def wide_object(keys: int, value_length: int) -> dict[str, str]:
    filler = "lorem ipsum dolor sit amet " * (value_length // 27 + 1)
    return {f"key_{i:05d}": f"{i:05d} {filler}"[:value_length] for i in range(keys)}


def with_request_id(row: bytes, request_id: str) -> bytes:
    """A customer body with an extra ``request_id`` field (HOSTILE_REQUEST_ID_OK)."""
    return row[:-1] + b',"request_id":' + dumps(request_id) + b"}"


class HostilePayloads:
    """Per-process cache of the hostile bodies; built on first use (the wide ones are ~1-2 MB)."""

    def __init__(self, seed: int, store: CustomerStore) -> None:
        self._seed = seed
        self._lock = threading.Lock()
        self._bodies: dict[tuple[str, str], bytes] = {}
        self._rows: list[bytes] | None = None
        for document in HUGE_FILE_DOCUMENTS:
            store.add_document(document)

    def body(self, business: Business, customer_id: str) -> bytes:
        """Customer JSON without ``documents`` for one of ``BODY_BUILDERS``' ids."""
        key = (business.currency, customer_id)  # the base record only depends on the currency
        with self._lock:
            if key not in self._bodies:
                self._bodies[key] = self._build(business, customer_id)
            return self._bodies[key]

    def _base(self, business: Business, customer_id: str, reference: str) -> dict[str, Any]:
        rng = random.Random(f"{self._seed}:{business.currency}:{customer_id}")
        customer, _ = make_customer(rng, business, reference, customer_id)
        return customer

    def _build(self, business: Business, customer_id: str) -> bytes:
        customer = self._base(business, customer_id, "FAULT-HUGE")
        raw: dict[str, str] = {}
        if customer_id == faults.HUGE_EXPONENT:
            balance, limit = faults.HUGE_EXPONENT_STRINGS
            customer.update(
                outstanding_balance=balance, credit_limit_cents=limit, credit_limit=limit
            )
        elif customer_id == faults.HUGE_BALANCE:
            customer.update(
                outstanding_balance=faults.HUGE_INTEGER,
                credit_limit_cents=-faults.HUGE_INTEGER,
                credit_limit=-faults.HUGE_INTEGER,
            )
        elif customer_id == faults.HUGE_NUMBER_DIGITS:
            digits = faults.HUGE_NUMBER_DIGITS_COUNT
            raw = {"balance": "9" * digits, "limit": "1" + "0" * (digits - 1)}
            customer.update(
                outstanding_balance=_raw("balance"),
                credit_limit_cents=_raw("limit"),
                credit_limit=_raw("limit"),
            )
        elif customer_id == faults.DEEP_METADATA:
            raw = {"metadata": deep_object(faults.DEEP_METADATA_LEVELS)}
            customer["metadata"] = _raw("metadata")
        elif customer_id == faults.WIDE_METADATA:
            customer["metadata"] = wide_object(faults.WIDE_METADATA_KEYS, 48)
            customer["transaction_tags"] = [
                f"tag-{i:05d}" for i in range(faults.WIDE_TRANSACTION_TAGS)
            ]
        return _splice(dumps(customer), raw)

    def list_rows(self, business: Business) -> list[bytes]:
        """LIST_HOSTILE_ROWS: 20 rows with hostile numbers and ~100 KB of metadata each."""
        with self._lock:
            if self._rows is None:
                rng = random.Random(f"{self._seed}:hostile-rows")
                rows = []
                for number in range(1, faults.HOSTILE_ROWS + 1):
                    customer, _ = make_customer(rng, business, f"HOSTILE-{number:04d}")
                    limit = faults.HUGE_EXPONENT_STRINGS[0]
                    customer.update(
                        outstanding_balance=faults.HUGE_INTEGER,
                        credit_limit_cents=limit,
                        credit_limit=limit,
                        metadata=wide_object(faults.HOSTILE_ROW_METADATA_BYTES // 100, 80),
                    )
                    rows.append(dumps(customer))
                self._rows = rows
            return self._rows
