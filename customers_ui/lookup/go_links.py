"""What a `/go` link says: which business, which customer, which ticket, from which helpdesk.

Helpdesks fill the link from placeholders, so anything can arrive: empty values, a whole pasted
URL, control characters from a ticket field, a name of several kilobytes, a placeholder left
unfilled (`{{ticket.requester.email}}`). Everything is checked here, before any lookup, and a bad
parameter is a 400 that names it. `ticket` and `via` are only stripped of control and formatting
characters (a copied reference often carries a stray newline or a bidi mark) and bounded.
Unknown parameters are ignored: helpdesks add their own.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from customers_ui.core.problems import BadLookupInput
from customers_ui.lookup.references import (
    MAX_REFERENCE_LENGTH,
    CustomerReference,
    parse_customer_reference,
    search_text,
)
from customers_ui.lookup.tickets import TicketRef
from customers_ui.models.audit import MAX_TICKET_REF_CHARS, MAX_VIA_CHARS
from customers_ui.models.directory import MAX_NAME_CHARS
from customers_ui.thredfi.client import MAX_QUERY_CHARS

PARAMETERS = ("business", "customer", "ticket", "via")
# A helpdesk placeholder left as it was: `{{ticket.requester.email}}` (Zendesk, Freshdesk, Front,
# Gorgias, Chatwoot) or `{%customer.email%}`. The helpdesk did not know the field (misspelt, or
# the link was pasted by hand): searching Thredfi for the placeholder's text helps nobody.
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
# Control (Cc), formatting (Cf: bidi overrides, zero-width) and line/paragraph separators.
_INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp"))


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in _INVISIBLE


def _printable(text: str) -> str:
    """Invisible characters out (whitespace ones become a space), runs of spaces collapsed."""
    kept = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or not _invisible(ch))
    return " ".join(kept.split())


def _bad(parameter: str, why: str) -> BadLookupInput:
    return BadLookupInput(f"The link's “{parameter}” parameter {why}.")


@dataclass(frozen=True, slots=True)
class GoLink:
    """A checked `/go` link. `business_id` or `business_name` (or neither), maybe a customer."""

    business_id: uuid.UUID | None
    business_name: str
    customer: str
    reference: CustomerReference | None  # the customer text named a UUID (paste rules)
    ticket: TicketRef | None

    @property
    def target_business_id(self) -> uuid.UUID | None:
        """A pasted dashboard/Thredfi URL names its business; it wins, as in the paste box."""
        if self.reference is not None and self.reference.business_id is not None:
            return self.reference.business_id
        return self.business_id

    @property
    def names_a_customer(self) -> bool:
        """False for a business alone or a pasted business page: the link opens its list."""
        if self.reference is not None:
            return self.reference.customer_id is not None
        return bool(self.customer)

    @property
    def query(self) -> str:
        """The link's parameters in one canonical spelling (the confirmation mark's key)."""
        return canonical(
            [
                ("business", str(self.business_id) if self.business_id else self.business_name),
                ("customer", self.customer),
                ("ticket", self.ticket.ticket_ref if self.ticket else ""),
                ("via", self.ticket.via if self.ticket else ""),
            ]
        )


def go_query(
    *, business_id: uuid.UUID, customer_id: uuid.UUID, ticket: TicketRef | None = None
) -> str:
    """The query of a `/go` link to one customer (the detail page's "Copy a /go link")."""
    return canonical(
        [
            ("business", str(business_id)),
            ("customer", str(customer_id)),
            ("ticket", ticket.ticket_ref if ticket else ""),
            ("via", ticket.via if ticket else ""),
        ]
    )


def canonical(pairs: Iterable[tuple[str, str]]) -> str:
    """Known parameters, in a fixed order, empty ones left out, the last of repeats kept."""
    values = {name: value for name, value in pairs if name in PARAMETERS}
    return urlencode([(name, values[name]) for name in PARAMETERS if values.get(name)])


def _field(params: Mapping[str, str], name: str, limit: int) -> str:
    raw = params.get(name) or ""
    if len(raw) > limit * 4:  # refuse a huge value before looking at each of its characters
        raise _bad(name, f"is too long (at most {limit} characters)")
    if placeholder := _PLACEHOLDER.search(raw):
        shown = _printable(placeholder.group())[:60]
        raise _bad(
            name,
            f"is the helpdesk's placeholder “{shown}”, not filled in: check the field's name "
            "in the link's template (docs/helpdesk-links.md)",
        )
    return raw


def go_link_parse(params: Mapping[str, str]) -> GoLink:
    """The link's parameters, checked; raises `BadLookupInput` naming the first bad one."""
    business_raw = _field(params, "business", MAX_NAME_CHARS).strip()
    customer_raw = _field(params, "customer", MAX_REFERENCE_LENGTH).strip()
    ticket_raw = _field(params, "ticket", MAX_TICKET_REF_CHARS)
    via_raw = _field(params, "via", MAX_VIA_CHARS)

    business_id, business_name = None, ""
    if business_raw:
        if any(_invisible(ch) and not ch.isspace() for ch in business_raw):
            raise _bad("business", "contains control characters")
        try:
            business_id = uuid.UUID(business_raw)
        except ValueError:
            if len(business_raw) > MAX_NAME_CHARS:
                raise _bad(
                    "business", f"is too long (at most {MAX_NAME_CHARS} characters)"
                ) from None
            business_name = " ".join(business_raw.split())

    reference = None
    if customer_raw:
        if any(_invisible(ch) and not ch.isspace() for ch in customer_raw):
            raise _bad("customer", "contains control characters")
        customer_raw = search_text(" ".join(customer_raw.split()))
        if len(customer_raw) > MAX_REFERENCE_LENGTH:
            raise _bad("customer", f"is too long (at most {MAX_REFERENCE_LENGTH} characters)")
        reference = parse_customer_reference(customer_raw)
        if reference is None and len(customer_raw) > MAX_QUERY_CHARS:
            raise _bad(
                "customer",
                f"is too long to search for (at most {MAX_QUERY_CHARS} characters, "
                "unless it is an ID or a link)",
            )

    if not business_raw and not customer_raw:
        raise BadLookupInput("The link names neither a “business” nor a “customer”.")

    ticket_ref, via = _printable(ticket_raw), _printable(via_raw)
    if len(ticket_ref) > MAX_TICKET_REF_CHARS:
        raise _bad("ticket", f"is too long (at most {MAX_TICKET_REF_CHARS} characters)")
    if len(via) > MAX_VIA_CHARS:
        raise _bad("via", f"is too long (at most {MAX_VIA_CHARS} characters)")
    return GoLink(
        business_id=business_id,
        business_name=business_name,
        customer=customer_raw,
        reference=reference,
        ticket=TicketRef(ticket_ref, via) if ticket_ref else None,
    )
