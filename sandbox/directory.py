"""Who owns which business, and where each business's customers and documents live.

Two partners with very different shapes share the same routes: the demo partner's three
businesses and ~300 customers are pre-built and pre-encoded (:mod:`sandbox.store`); the big
partner's tens of thousands of businesses are generated at start and their customers on demand
(:mod:`sandbox.big_partner`). The HTTP layer asks this module and never cares which is which.
"""

from __future__ import annotations

from sandbox.big_partner import BigPartner
from sandbox.demo import BIG_API_KEY, BIG_PARTNER_UUID, DEMO_API_KEY, DEMO_PARTNER_UUID, Business
from sandbox.documents import Document
from sandbox.store import CustomerStore, Entry

# partner uuid -> API key (the Basic credentials of the partner-token route)
PARTNER_KEYS: dict[str, str] = {DEMO_PARTNER_UUID: DEMO_API_KEY, BIG_PARTNER_UUID: BIG_API_KEY}


class Directory:
    def __init__(self, businesses: dict[str, Business], store: CustomerStore, big: BigPartner):
        self.businesses = businesses  # the demo partner's
        self.store = store
        self.big = big

    @staticmethod
    def valid_credentials(partner_id: str, api_key: str) -> bool:
        return bool(api_key) and PARTNER_KEYS.get(partner_id) == api_key

    def business(self, partner_id: str, business_id: str) -> Business | None:
        """The business if ``partner_id`` owns it *now* (big-partner businesses can vanish)."""
        if partner_id == DEMO_PARTNER_UUID:
            return self.businesses.get(business_id)
        if partner_id == BIG_PARTNER_UUID:
            return self.big.get(business_id)
        return None

    def business_count(self, partner_id: str) -> int:
        if partner_id == BIG_PARTNER_UUID:
            return self.big.size
        return len(self.businesses) if partner_id == DEMO_PARTNER_UUID else 0

    def business_page(self, partner_id: str, start: int, stop: int) -> list[Business]:
        """Businesses ``[start, stop)`` in the list route's stable order."""
        if partner_id == BIG_PARTNER_UUID:
            return self.big.page(start, stop)
        if partner_id == DEMO_PARTNER_UUID:
            return list(self.businesses.values())[start:stop]
        return []

    def search(self, business: Business, term: str) -> list[Entry]:
        if business.id in self.businesses:
            return self.store.search(business.id, term)
        return self.big.search(business, term)

    def customer(self, business: Business, customer_id: str) -> Entry | None:
        if business.id in self.businesses:
            return self.store.get(business.id, customer_id)
        return self.big.customer(business, customer_id)

    def document(self, document_id: str) -> Document | None:
        return self.store.documents.get(document_id) or self.big.document(document_id)
