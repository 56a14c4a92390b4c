"""The ticket a lookup is for, kept in the session: the reason on the audit rows.

A `/go` link names the helpdesk ticket it was placed in. That reference (and the helpdesk's
name) goes on the audit row of the search and view the link leads to, and stays attached to the
session's next lookups of the same customer (views, downloads) for TICKET_CONTEXT_MINUTES, so the
audit trail answers "why did they look at this customer?" without anyone typing it.

A link that ends on a list (several matches, or a business without a customer) does not know the
customer yet: its ticket is *pending* for that business, applies to searches there, and is bound
to the first customer the person opens in that business (and only to that one). A later link
into the business without a ticket ends the pending one: that navigation has a reason of its own.

Times are epoch seconds from `clock`, which tests replace instead of sleeping.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

SESSION_KEY = "lookup.tickets"
MAX_KEPT = 20  # tickets kept per session, newest first; older ones drop off

clock: Callable[[], float] = time.time


@dataclass(frozen=True, slots=True)
class TicketRef:
    """A helpdesk ticket reference and the helpdesk's name, both already cleaned and bounded."""

    ticket_ref: str
    via: str = ""


def _entries(session: MutableMapping[str, Any], now: float) -> list[dict[str, Any]]:
    kept = session.get(SESSION_KEY) or []
    return [e for e in kept if isinstance(e, dict) and float(e.get("until", 0)) > now]


def _save(session: MutableMapping[str, Any], entries: list[dict[str, Any]]) -> None:
    if entries:
        session[SESSION_KEY] = entries[:MAX_KEPT]
    else:
        session.pop(SESSION_KEY, None)


def ticket_remember(
    session: MutableMapping[str, Any],
    *,
    ticket: TicketRef,
    business_id: uuid.UUID,
    customer_id: uuid.UUID | None = None,
) -> None:
    """Attach `ticket` to this customer (or, with no customer, to the business's next pick)."""
    now = clock()
    business, customer = str(business_id), str(customer_id) if customer_id else None
    entries = [
        e for e in _entries(session, now) if (e["business"], e["customer"]) != (business, customer)
    ]
    entry = {
        "business": business,
        "customer": customer,
        "ticket": ticket.ticket_ref,
        "via": ticket.via,
        "until": now + settings.TICKET_CONTEXT_MINUTES * 60,
    }
    _save(session, [entry, *entries])


def ticket_pending_end(session: MutableMapping[str, Any], *, business_id: uuid.UUID) -> None:
    """Drop the business's pending ticket: a new link into it came without one."""
    business = str(business_id)
    kept = _entries(session, clock())
    entries = [e for e in kept if (e["business"], e["customer"]) != (business, None)]
    if len(entries) != len(session.get(SESSION_KEY) or []):
        _save(session, entries)


def ticket_for(
    session: MutableMapping[str, Any],
    *,
    business_id: uuid.UUID,
    customer_id: uuid.UUID | None = None,
) -> TicketRef | None:
    """The ticket a lookup of this customer (or a search in this business) is for, if any.

    Opening a customer in a business with a pending ticket binds that ticket to the customer,
    for the time the ticket has left.
    """
    now = clock()
    entries = _entries(session, now)
    if len(entries) != len(session.get(SESSION_KEY) or []):
        _save(session, entries)  # expired ones go
    business, customer = str(business_id), str(customer_id) if customer_id else None
    for entry in entries:
        if entry["business"] == business and entry["customer"] == customer:
            return TicketRef(entry["ticket"], entry["via"])
    if customer is None:
        return None
    for entry in entries:
        if entry["business"] == business and entry["customer"] is None:
            bound = {**entry, "customer": customer}
            _save(session, [bound, *(e for e in entries if e is not entry)])
            return TicketRef(entry["ticket"], entry["via"])
    return None
