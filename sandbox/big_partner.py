"""The big demo partner: tens of thousands of businesses, resizable while the sandbox runs.

Dashboards that list "all businesses" in one call, or load every page at login, look fine with
three businesses and fall over with 100,000; this partner is there to make that visible. The
directory is generated eagerly (ids must be resolvable, and pages are slices of a stable order),
but each business's handful of customers is generated only when someone opens it, and only the
most recently opened businesses keep theirs in memory.

Resizing never reshuffles anything: business ``i`` is the same record at every size, shrinking
hides the tail (it "disappears upstream": list omits it, get/token answer 404) and growing brings
it back or generates more in the same order.
"""

from __future__ import annotations

import hashlib
import random
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from sandbox.company_names import NameGenerator
from sandbox.demo import (
    BIG_PARTNER_UUID,
    BIG_ZEPHYR_BUSINESS_ID,
    BIG_ZEPHYR_INDEX,
    BIG_ZEPHYR_NAME,
    Business,
    make_customer,
)
from sandbox.documents import Document
from sandbox.store import Entry, make_entry, search_entries, sorted_entries

MAX_BUSINESSES = 1_000_000  # a resize beyond this is refused: memory, not realism, is the limit
INACTIVE_PER_MILLE = 30  # ~3 % of businesses have is_active: false
MIN_CUSTOMERS, MAX_CUSTOMERS = 3, 8
CACHED_BUSINESSES = 2_048  # businesses whose generated customers stay in memory

_NAMESPACE = uuid.UUID(BIG_PARTNER_UUID).bytes
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def business_id(seed: int, index: int) -> str:
    """``str(uuid.uuid5(BIG_PARTNER_UUID, f"{seed}:{index}"))``, spelled out: 4x faster."""
    digest = hashlib.sha1(_NAMESPACE + f"{seed}:{index}".encode(), usedforsecurity=False)
    h = digest.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


@dataclass(frozen=True, slots=True)
class _Customers:
    entries: list[Entry]  # in the list route's order
    by_id: dict[str, Entry]
    documents: dict[str, Document]


class BigPartner:
    """The big partner's directory and its lazily generated customers. Thread-safe."""

    def __init__(self, seed: int, businesses: int) -> None:
        if not 0 <= businesses <= MAX_BUSINESSES:
            raise ValueError(f"businesses must be between 0 and {MAX_BUSINESSES}")
        self.seed = seed
        self.configured = businesses
        self.zephyr_index = BIG_ZEPHYR_INDEX if businesses > BIG_ZEPHYR_INDEX else businesses - 1
        self._lock = threading.Lock()
        self._names = NameGenerator(seed)
        self._names.reserve(BIG_ZEPHYR_NAME)
        self._businesses: list[Business] = []
        self._index: dict[str, int] = {}
        self._visible = 0
        self._customers: OrderedDict[str, _Customers] = OrderedDict()
        self._document_owner: dict[str, str] = {}
        self.resize(businesses)

    @property
    def size(self) -> int:
        """How many businesses the partner has right now (what the list route counts)."""
        return self._visible

    def resize(self, businesses: int) -> int:
        """Show the first ``businesses`` records (generating any not made yet); returns old size."""
        if not 0 <= businesses <= MAX_BUSINESSES:
            raise ValueError(f"businesses must be between 0 and {MAX_BUSINESSES}")
        with self._lock:
            self._grow(businesses)
            previous, self._visible = self._visible, businesses
        return previous

    def _grow(self, count: int) -> None:
        draw, seed = self._names.draw, self.seed
        for index in range(len(self._businesses), count):
            drawn = draw()
            if index == self.zephyr_index:
                business = Business(
                    BIG_ZEPHYR_BUSINESS_ID, BIG_ZEPHYR_NAME, "GB", "GBP", "limited_company"
                )
            else:
                new_id = business_id(seed, index)
                business = Business(
                    new_id,
                    drawn.legal_name,
                    drawn.country,
                    drawn.currency,
                    drawn.entity_type,
                    int(new_id[:4], 16) % 1000 >= INACTIVE_PER_MILLE,
                )
            self._index[business.id] = index
            self._businesses.append(business)

    def get(self, business_id: str) -> Business | None:
        """The business if it exists *now* (a hidden one is gone upstream)."""
        index = self._index.get(business_id)
        if index is None or index >= self._visible:
            return None
        return self._businesses[index]

    def page(self, start: int, stop: int) -> list[Business]:
        with self._lock:
            return self._businesses[start : min(stop, self._visible)]

    # -- customers ------------------------------------------------------------------------------

    def search(self, business: Business, term: str) -> list[Entry]:
        return search_entries(self._customers_of(business).entries, term)

    def customer(self, business: Business, customer_id: str) -> Entry | None:
        return self._customers_of(business).by_id.get(customer_id)

    def document(self, document_id: str) -> Document | None:
        """A document of a customer generated earlier, regenerated if its cache entry expired."""
        owner = self._document_owner.get(document_id)
        index = self._index.get(owner or "")
        if index is None:
            return None
        return self._customers_of(self._businesses[index]).documents.get(document_id)

    def _customers_of(self, business: Business) -> _Customers:
        with self._lock:
            customers = self._customers.get(business.id)
            if customers is None:
                customers = self._generate(business)
                self._customers[business.id] = customers
                if len(self._customers) > CACHED_BUSINESSES:
                    self._customers.popitem(last=False)
            else:
                self._customers.move_to_end(business.id)
            return customers

    def _generate(self, business: Business) -> _Customers:
        """3-8 customers seeded by (seed, business id): the same ones every time it is opened."""
        rng = random.Random(f"{self.seed}:big-partner-customers:{business.id}")
        entries: list[Entry] = []
        documents: dict[str, Document] = {}
        for number in range(1, rng.randint(MIN_CUSTOMERS, MAX_CUSTOMERS) + 1):
            customer, docs = make_customer(rng, business, f"CUST-{number:04d}")
            for doc in docs:
                documents[doc.document_id] = doc
                self._document_owner[doc.document_id] = business.id
            entries.append(make_entry(customer, tuple(docs)))
        entries = sorted_entries(entries)
        return _Customers(entries, {e.customer["id"]: e for e in entries}, documents)
