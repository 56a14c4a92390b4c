"""Turns a customer record into what the detail page shows, with every upstream oddity bounded.

Upstream strings can be hostile or huge; escaping is the template's job, but size is ours: long
notes and deep metadata are cut to a readable length here so a page never balloons. This is the
only place raw JSON is formatted, and only the detail page asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from babel import Locale
from django.urls import reverse

from customers_ui.lookup.bounded_json import BoundedText, Budget, bounded_json
from customers_ui.models import LookupEvent
from customers_ui.templatetags.money import money
from customers_ui.thredfi import Business, Customer, Document
from customers_ui.upstream.links import document_link_followable

MAX_NOTES_CHARS = 5_000
METADATA_BUDGET = Budget(max_chars=10_000, max_depth=12, max_items=200)
# The "raw JSON" disclosure is for escalations; beyond this it only slows the page down.
RAW_JSON_BUDGET = Budget(max_chars=200_000, max_depth=30, max_items=2_000, max_string=20_000)
MAX_TAGS = 50
MAX_TAG_CHARS = 80
TAG_BUDGET = Budget(max_chars=MAX_TAG_CHARS, max_depth=3, max_items=10, max_string=MAX_TAG_CHARS)
_ENGLISH = Locale("en")
# What a value Thredfi sent but we could not read (say, a balance of 10^30) looks like.
UNREADABLE = "Unreadable value from Thredfi"


def country_name(code: object) -> str | None:
    """ISO 3166 code → English name ("GB" → "United Kingdom"); unknown codes pass through."""
    if not code:
        return None
    text = str(code).strip()
    return _ENGLISH.territories.get(text.upper(), text)


def _truncate(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    return text[:limit], True


@dataclass(frozen=True)
class CustomerPresenter:
    customer: Customer
    business: Business

    @cached_property
    def address_lines(self) -> list[str]:
        """The structured fields when present (they are the source); else Thredfi's own text."""
        c = self.customer
        region_line = " ".join(str(part) for part in (c.state_county, c.postal_code) if part)
        lines = [c.address_line1, c.address_line2, c.city, region_line, country_name(c.country)]
        lines = [str(line).strip() for line in lines if line and str(line).strip()]
        if lines:
            return lines
        if c.full_address:
            return [line.strip() for line in str(c.full_address).splitlines() if line.strip()]
        return []

    @property
    def payment_terms(self) -> str | None:
        days = self.customer.payment_terms_days
        if "payment_terms_days" in self.customer.unreadable:
            return UNREADABLE
        if days is None or days < 0:
            return None
        return "Due on receipt" if days == 0 else f"Net {days}"

    @cached_property
    def balance_text(self) -> str:
        if "outstanding_balance" in self.customer.unreadable:
            return UNREADABLE
        return money(self.customer.outstanding_balance, self.business.currency)

    @cached_property
    def credit_limit_text(self) -> str:
        if "credit_limit_cents" in self.customer.unreadable:
            return UNREADABLE
        return money(self.customer.credit_limit_cents, self.business.currency)

    @cached_property
    def list_url(self) -> str:
        return reverse("customers_ui:customer_list", args=[self.business.id])

    @property
    def credit_limit_label(self) -> str:
        """0 means Thredfi says there is no limit; null means nobody knows."""
        limit = self.customer.credit_limit_cents
        if limit is None:
            return (
                self.credit_limit_text if "credit_limit_cents" in self.customer.unreadable else "—"
            )
        return "No credit limit" if limit == 0 else self.credit_limit_text

    @property
    def in_credit(self) -> bool:
        balance = self.customer.outstanding_balance
        return balance is not None and balance < 0

    @property
    def credit_utilisation(self) -> int | None:
        """Balance as a whole percentage of the credit limit (None when there is no limit).

        A customer in credit (negative balance) has used none of it: 0, not a negative share.
        """
        limit = self.customer.credit_limit_cents
        balance = self.customer.outstanding_balance
        if not limit or balance is None or limit <= 0:
            return None
        return max(0, round(balance * 100 / limit))

    @property
    def meter_value(self) -> int:
        """The <meter> shows 0 to 100; the text gives the real percentage above 100."""
        return max(0, min(100, self.credit_utilisation or 0))

    @property
    def over_limit(self) -> bool:
        limit = self.customer.credit_limit_cents
        balance = self.customer.outstanding_balance
        return bool(limit) and balance is not None and balance > limit

    @cached_property
    def notes(self) -> tuple[str, bool]:
        return _truncate(str(self.customer.notes or ""), MAX_NOTES_CHARS)

    @property
    def notes_text(self) -> str:
        return self.notes[0]

    @property
    def notes_truncated(self) -> bool:
        return self.notes[1]

    @property
    def notes_length(self) -> int:
        return len(str(self.customer.notes or ""))

    @cached_property
    def metadata(self) -> BoundedText:
        data = self.customer.metadata
        if data in (None, {}, []):
            return BoundedText("", False)
        return bounded_json(data, METADATA_BUDGET)

    @cached_property
    def raw_json(self) -> BoundedText:
        return bounded_json(dict(self.customer.raw), RAW_JSON_BUDGET)

    @cached_property
    def tags(self) -> list[str]:
        """Tags are 'an array of anything' upstream: strings as they are, the rest as JSON."""
        tags = []
        for tag in (self.customer.transaction_tags or ())[:MAX_TAGS]:
            text = tag if isinstance(tag, str) else bounded_json(tag, TAG_BUDGET).text
            tags.append(_truncate(text, MAX_TAG_CHARS)[0])
        return tags

    @property
    def other_name(self) -> str | None:
        """The company/individual behind the display name, when it adds something."""
        c = self.customer
        parts = [p for p in (c.company_name, c.individual_name) if p and p != c.display_name]
        return " · ".join(parts) or None

    @cached_property
    def documents(self) -> list[DocumentRow]:
        return document_rows(self.customer, self.business)

    @property
    def title(self) -> str:
        return (self.customer.name or "Unnamed customer")[:300]


@dataclass(frozen=True, slots=True)
class DocumentRow:
    document: Document
    download_url: str | None  # the dashboard's own route; None when it can't be offered
    unavailable_reason: str | None


def document_rows(customer: Customer, business: Business) -> list[DocumentRow]:
    """Documents with a download decision: only a real UUID and an http(s) URL get a link."""
    rows = []
    for document in customer.documents:
        document_id = document.document_id
        if document_id is None:
            rows.append(DocumentRow(document, None, "no valid document ID"))
        elif not document_link_followable(document):
            rows.append(DocumentRow(document, None, "link refused: not an https URL"))
        else:
            url = reverse(
                "customers_ui:document_download", args=[business.id, customer.id, document_id]
            )
            rows.append(DocumentRow(document, url, None))
    return rows


@dataclass(frozen=True, slots=True)
class RecentLookupRow:
    event: LookupEvent
    business_name: str | None  # known when the business belongs to the active credential


def recent_lookup_rows(
    events: Iterable[LookupEvent], businesses: Iterable[Business]
) -> list[RecentLookupRow]:
    """Name the business beside each recent customer: several customers can share a name."""
    names = {business.id: business.legal_name for business in businesses}
    return [RecentLookupRow(event, names.get(event.business_id)) for event in events]
