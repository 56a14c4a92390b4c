"""Use cases of the lookup pages: which business, which customer, the audit trail.

Views call one of these. Each returns typed records or raises `LookupFailed` (a domain error the
view edge turns into a page); every search, view and download leaves one `LookupEvent`, whatever
happened, including a crash.
"""

from __future__ import annotations

import enum
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connections, router

from customers_ui.core import request_context
from customers_ui.core.crypto import SecretDecryptionError
from customers_ui.core.problems import DocumentNotAttached, LookupFailed, UnsafeDocumentLink
from customers_ui.directory import selectors as directory_selectors
from customers_ui.directory import services as directory_services
from customers_ui.lookup.go_links import GoLink
from customers_ui.lookup.tickets import TicketRef
from customers_ui.models import LookupEvent, PartnerCredential
from customers_ui.teams.scope import scope_check, usable_check
from customers_ui.thredfi import Business, Customer, CustomerPage, ThredfiError
from customers_ui.upstream.caching import business_cache, credential_cache_identity
from customers_ui.upstream.clients import thredfi_client
from customers_ui.upstream.links import document_link_followable

SEARCH_PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class SearchResult:
    business: Business
    page: CustomerPage
    query: str


@dataclass(frozen=True, slots=True)
class CustomerLookup:
    business: Business
    customer: Customer


@dataclass(slots=True)
class _AuditNote:
    """Filled in while a use case runs, written once it ends, however it ends."""

    outcome: str = "ok"
    http_status: int = 200
    request_id: str = ""
    customer_name: str = ""

    def failed(self, failure: LookupFailed) -> None:
        self.outcome = failure.problem.outcome
        self.http_status = failure.problem.status
        self.request_id = failure.problem.request_id or ""


@contextmanager
def _audited(
    *,
    user: AbstractBaseUser,
    credential: PartnerCredential,
    action: str,
    business_id: uuid.UUID,
    customer_id: uuid.UUID | None = None,
    document_id: uuid.UUID | None = None,
    query: str = "",
    subject: str = "customer",
    ticket: TicketRef | None = None,
) -> Iterator[_AuditNote]:
    """Record one LookupEvent for the block, and turn client failures into `LookupFailed`.

    Anything unexpected is recorded as outcome "error" with status 500 before it propagates: the
    audit trail must never say "ok" for a lookup the user saw fail.
    """
    note = _AuditNote()
    started = time.perf_counter()
    try:
        # Before anything reaches Thredfi: a personal credential while those are switched off,
        # or a business outside the credential's scope, is refused here (and audited).
        usable_check(credential=credential)
        scope_check(credential=credential, business_id=business_id)
        yield note
    except LookupFailed as failure:
        failure.business_id = failure.business_id or business_id
        note.failed(failure)
        raise
    except (ThredfiError, SecretDecryptionError) as error:
        failure = LookupFailed(error, subject=subject, business_id=business_id)
        note.failed(failure)
        raise failure from error
    except Exception:
        note.outcome, note.http_status = "error", 500
        raise
    finally:
        context = request_context.current()
        _audit_insert(
            LookupEvent(
                user=user,
                username=user.get_username(),
                credential_label=credential.label,
                credential_kind=(
                    LookupEvent.CREDENTIAL_TEAM
                    if credential.is_team
                    else LookupEvent.CREDENTIAL_PERSONAL
                ),
                team_name=credential.team.name if credential.is_team else "",
                partner_uuid=credential.partner_uuid,
                business_id=business_id,
                customer_id=customer_id,
                document_id=document_id,
                customer_name=note.customer_name[:200],
                query=query,
                action=action,
                outcome=note.outcome,
                http_status=note.http_status,
                request_id=note.request_id[:100],
                dashboard_request_id=context.request_id if context else "",
                client_ip=(context.client_ip or None) if context else None,
                fetch_site=context.fetch_site if context else "",
                duration_ms=int((time.perf_counter() - started) * 1000),
                ticket_ref=ticket.ticket_ref if ticket else "",
                via=ticket.via if ticket else "",
            )
        )


def _audit_insert(event: LookupEvent) -> None:
    """One INSERT of every column through a plain cursor, without `Model.save()`'s machinery
    (issue #23: 179 -> 127 µs per row, `python -m bench.profile_parts`).

    Nothing listens to LookupEvent's pre_save/post_save (no receiver in the project), and the row
    is only ever inserted: the append-only triggers on PostgreSQL refuse UPDATE and DELETE, never
    an INSERT. Each field's `pre_save` (`created_at`'s auto_now_add) and database conversion run
    exactly as in `objects.create`; the cursor is Django's, so query logging, the test budgets'
    query counts and the connection's execute wrappers see the INSERT as before.
    """
    connection = connections[router.db_for_write(LookupEvent)]
    values = [
        field.get_db_prep_save(field.pre_save(event, True), connection) for field in _AUDIT_FIELDS
    ]
    with connection.cursor() as cursor:
        cursor.execute(_audit_insert_sql(connection.alias), values)


_AUDIT_FIELDS = LookupEvent._meta.local_concrete_fields


@cache
def _audit_insert_sql(alias: str) -> str:
    """Names from the model's own metadata, quoted by the backend; values are parameters."""
    quote = connections[alias].ops.quote_name
    return (
        f"INSERT INTO {quote(LookupEvent._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(field.column) for field in _AUDIT_FIELDS)}) "
        f"VALUES ({', '.join(['%s'] * len(_AUDIT_FIELDS))})"
    )


def _business(credential: PartnerCredential, business_id: uuid.UUID) -> Business:
    """One business's metadata (for its currency), reused for BUSINESS_METADATA_TTL seconds.

    From the partner's business directory when it lists the business (no call); otherwise asked
    once, so Thredfi's own answer (404/403) reaches the page. Never the whole business list: a
    partner can have tens of thousands.
    """
    key = f"{credential_cache_identity(credential)}:business:{business_id}"
    cached = business_cache.get(key)
    if cached is not None:
        return Business.from_api(cached)
    business = directory_selectors.directory_business_record(
        partner_uuid=credential.partner_uuid,
        base_url=settings.THREDFI_BASE_URL,
        business_id=business_id,
    )
    if business is None:
        business = thredfi_client(credential).get_business(business_id)
    business_cache.set(key, business.to_api(), timeout=settings.BUSINESS_METADATA_TTL)
    return business


def _remember_business(credential: PartnerCredential, business_id: uuid.UUID) -> None:
    # A team credential is shared: one member's last business is not another's.
    if not credential.is_team and credential.last_business_id != business_id:
        credential.last_business_id = business_id
        credential.save(update_fields=["last_business_id", "updated_at"])


def customer_search(
    *,
    user: AbstractBaseUser,
    credential: PartnerCredential,
    business_id: uuid.UUID,
    query: str,
    page: int = 1,
    ticket: TicketRef | None = None,
) -> SearchResult:
    """Search one business's customers by name, email, reference or external id."""
    with _audited(
        user=user,
        credential=credential,
        action=LookupEvent.Action.SEARCH,
        business_id=business_id,
        query=query,
        ticket=ticket,
        # A business that exists with a page past the end is "no such page".
        subject="page" if page > 1 else "business",
    ):
        business = _business(credential, business_id)
        _remember_business(credential, business_id)
        result = thredfi_client(credential).search_customers(
            business_id, query=query, page=page, page_size=SEARCH_PAGE_SIZE
        )
        return SearchResult(business=business, page=result, query=query)


def customer_get(
    *,
    user: AbstractBaseUser,
    credential: PartnerCredential,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    ticket: TicketRef | None = None,
) -> CustomerLookup:
    """One customer in full, with the business's currency for its money fields."""
    with _audited(
        user=user,
        credential=credential,
        action=LookupEvent.Action.VIEW,
        business_id=business_id,
        customer_id=customer_id,
        ticket=ticket,
    ) as note:
        business = _business(credential, business_id)
        customer = thredfi_client(credential).get_customer(business_id, customer_id)
        note.customer_name = customer.name
        return CustomerLookup(business=business, customer=customer)


def document_download_url(
    *,
    user: AbstractBaseUser,
    credential: PartnerCredential,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    document_id: uuid.UUID,
    ticket: TicketRef | None = None,
) -> str:
    """A freshly presigned URL for one document, so a link works however old the page is.

    Thredfi only hands out document URLs with the customer, so this re-reads the customer.
    Only https URLs are ever returned (http only against a plain-http Thredfi, i.e. the sandbox):
    anything else from upstream is refused.
    """
    with _audited(
        user=user,
        credential=credential,
        action=LookupEvent.Action.DOWNLOAD,
        business_id=business_id,
        customer_id=customer_id,
        document_id=document_id,
        ticket=ticket,
    ) as note:
        customer = thredfi_client(credential).get_customer(business_id, customer_id)
        note.customer_name = customer.name
        document = customer.document(document_id)
        if document is None:
            raise LookupFailed(DocumentNotAttached(), subject="document")
        if not document_link_followable(document):
            raise LookupFailed(UnsafeDocumentLink(), subject="document")
        return document.url


# -- /go links from helpdesk tickets ---------------------------------------------------------


class GoEnd(enum.Enum):
    """Where a `/go` link ends."""

    CUSTOMER = "customer"  # one customer: its page
    CUSTOMERS = "customers"  # a search with several matches, or none: the list, pre-filled
    BUSINESS = "business"  # a business and no customer: its customer list
    BUSINESSES = "businesses"  # a legal name that names several businesses, or none
    HOME = "home"  # a customer but no business: the home page, pre-filled


@dataclass(frozen=True, slots=True)
class GoOutcome:
    end: GoEnd
    business_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    search: SearchResult | None = None
    businesses_found: int = 0


def _the_one(result: SearchResult) -> Customer | None:
    """The customer a search means: its only match, or the one match whose e-mail, reference
    or external id is exactly the query (references are unique; a substring search is not)."""
    found = result.page.results
    if len(found) == 1 and (result.page.count in (None, 1)):
        return found[0]
    wanted = result.query.casefold()
    exact = [
        customer
        for customer in found
        if wanted
        in {
            str(value).casefold()
            for value in (customer.email, customer.reference_number, customer.external_id)
            if value
        }
    ]
    return exact[0] if len(exact) == 1 else None


def go_link_follow(
    *, user: AbstractBaseUser, credential: PartnerCredential, link: GoLink
) -> GoOutcome:
    """Where a checked `/go` link leads, looked up with the person's own credential.

    Built on `customer_search` (audited, with the link's ticket) so every check a search makes
    applies here too. A customer named by UUID needs no call here: its page looks it up.
    """
    usable_check(credential=credential)
    business_id = link.target_business_id
    # A business named by UUID is checked against the credential's scope before anything else.
    scope_check(credential=credential, business_id=business_id)
    if business_id is None and link.business_name:
        named = directory_services.business_by_legal_name(
            credential=credential, name=link.business_name
        )
        if len(named) != 1:
            return GoOutcome(GoEnd.BUSINESSES, businesses_found=len(named))
        business_id = named[0].business_id
        scope_check(credential=credential, business_id=business_id)
    if business_id is None:
        return GoOutcome(GoEnd.HOME)
    if link.reference is not None and link.reference.customer_id is not None:
        return GoOutcome(GoEnd.CUSTOMER, business_id, link.reference.customer_id)
    if not link.customer or link.reference is not None:  # no customer, or a business's page
        return GoOutcome(GoEnd.BUSINESS, business_id)
    result = customer_search(
        user=user,
        credential=credential,
        business_id=business_id,
        query=link.customer,
        ticket=link.ticket,
    )
    one = _the_one(result)
    if one is not None:
        return GoOutcome(GoEnd.CUSTOMER, business_id, one.id, search=result)
    return GoOutcome(GoEnd.CUSTOMERS, business_id, search=result)
