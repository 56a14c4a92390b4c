"""Understand whatever a support person pastes: an ID, an ID pair, or a URL containing them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import unquote

from customers_ui.core.pasted_links import UUID_TEXT, linked_business

_UUID = re.compile(UUID_TEXT)
MAX_REFERENCE_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class CustomerReference:
    customer_id: uuid.UUID | None  # None: a business's page was pasted, no customer in it
    business_id: uuid.UUID | None  # None: use the business picked on the page


def parse_customer_reference(text: str) -> CustomerReference | None:
    """Find the customer (and maybe business) UUIDs in pasted text; None when there are none.

    Dashboard URLs and Thredfi API paths both name the business before the customer, so with
    two or more UUIDs the first is the business and the second the customer. A lone UUID is a
    customer's, unless it ends the path of a business's page: then it names only the business.
    """
    text = text[:MAX_REFERENCE_LENGTH]
    found = [uuid.UUID(match) for match in _UUID.findall(text)]
    if not found:
        return None
    if len(found) == 1:
        linked = linked_business(text)
        if linked is not None and linked.is_business_page:
            return CustomerReference(customer_id=None, business_id=found[0])
        return CustomerReference(customer_id=found[0], business_id=None)
    return CustomerReference(customer_id=found[1], business_id=found[0])


def search_text(text: str) -> str:
    """What to search for in typed or pasted text: an e-mail link copied from a ticket or a mail
    client (`mailto:ada@example.com?subject=…`) means its address."""
    if text[:7].lower() != "mailto:":
        return text
    address = unquote(text[7:].split("?", 1)[0]).strip()
    return address or text
