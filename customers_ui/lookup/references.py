"""Understand whatever a support person pastes: an ID, an ID pair, or a URL containing them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
MAX_REFERENCE_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class CustomerReference:
    customer_id: uuid.UUID
    business_id: uuid.UUID | None  # None: use the business picked on the page


def parse_customer_reference(text: str) -> CustomerReference | None:
    """Find the customer (and maybe business) UUIDs in pasted text; None when there are none.

    Dashboard URLs and Thredfi API paths both name the business before the customer, so with
    two or more UUIDs the first is the business and the second the customer.
    """
    found = [uuid.UUID(match) for match in _UUID.findall(text[:MAX_REFERENCE_LENGTH])]
    if not found:
        return None
    if len(found) == 1:
        return CustomerReference(customer_id=found[0], business_id=None)
    return CustomerReference(customer_id=found[1], business_id=found[0])
