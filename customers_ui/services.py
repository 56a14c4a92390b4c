"""Use cases of the lookup pages: which credential, which business, the audit trail.

Views call exactly one of these. Each returns typed records or raises a `LookupFailed` carrying
the `Problem` to show; every search, view and download leaves one `LookupEvent`, whatever happened.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from customers_ui.crypto import SecretDecryptionError
from customers_ui.models import LookupEvent, PartnerCredential
from customers_ui.problems import Problem, problem_from_error
from customers_ui.thredfi import Business, Customer, CustomerPage, ThredfiError
from customers_ui.thredfi import errors as thredfi_errors
from customers_ui.token_cache import TwoLevelCache
from customers_ui.upstream import thredfi_client

logger = logging.getLogger(__name__)

SEARCH_PAGE_SIZE = 20
_business_cache = TwoLevelCache(prefix="business-meta", encrypt=False)


class LookupFailed(Exception):
    """A lookup could not be answered; `problem` says what to show."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.title)
        self.problem = problem


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
    http_status: int | None = 200
    request_id: str = ""
    customer_name: str = ""


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
) -> Iterator[_AuditNote]:
    """Record one LookupEvent for the block, translating failures into a LookupFailed."""
    note = _AuditNote()
    started = time.perf_counter()
    try:
        yield note
    except (ThredfiError, SecretDecryptionError) as error:
        problem = problem_from_error(error, subject=subject)
        note.outcome, note.http_status = problem.outcome, problem.status
        note.request_id = problem.request_id or ""
        logger.info("lookup %s failed: %s", action, problem.outcome)
        raise LookupFailed(problem) from error
    except LookupFailed as failed:
        note.outcome, note.http_status = failed.problem.outcome, failed.problem.status
        note.request_id = failed.problem.request_id or ""
        raise
    finally:
        LookupEvent.objects.create(
            user=user,
            username=user.get_username(),
            credential_label=credential.label,
            partner_uuid=credential.partner_uuid,
            business_id=business_id,
            customer_id=customer_id,
            document_id=document_id,
            customer_name=note.customer_name[:200],
            query=query[:200],
            action=action,
            outcome=note.outcome,
            http_status=note.http_status,
            request_id=(note.request_id or "")[:100],
            duration_ms=int((time.perf_counter() - started) * 1000),
        )


def business_list(*, credential: PartnerCredential) -> list[Business]:
    """The partner's businesses, reused for a few minutes: names and currencies rarely change."""
    key = f"{credential.cache_namespace}:businesses"
    businesses = _business_cache.get(key)
    if businesses is None:
        try:
            businesses = thredfi_client(credential).list_businesses()
        except (ThredfiError, SecretDecryptionError) as error:
            raise LookupFailed(problem_from_error(error, subject="business")) from error
        _business_cache.set(key, businesses, timeout=settings.BUSINESS_METADATA_TTL)
    return businesses


def business_get(*, credential: PartnerCredential, business_id: uuid.UUID) -> Business:
    """One business's metadata (for its currency), from the cached list when possible."""
    for business in business_list(credential=credential):
        if str(business.id) == str(business_id):
            return business
    # Not in the partner's list: ask once, so Thredfi's own answer (404/403) reaches the page.
    key = f"{credential.cache_namespace}:business:{business_id}"
    business = _business_cache.get(key)
    if business is None:
        try:
            business = thredfi_client(credential).get_business(business_id)
        except (ThredfiError, SecretDecryptionError) as error:
            raise LookupFailed(problem_from_error(error, subject="business")) from error
        _business_cache.set(key, business, timeout=settings.BUSINESS_METADATA_TTL)
    return business


def _remember_business(credential: PartnerCredential, business_id: uuid.UUID) -> None:
    if credential.last_business_id != business_id:
        credential.last_business_id = business_id
        credential.save(update_fields=["last_business_id", "updated_at"])


def customer_search(
    *,
    user: AbstractBaseUser,
    credential: PartnerCredential,
    business_id: uuid.UUID,
    query: str,
    page: int = 1,
) -> SearchResult:
    """Search one business's customers by name, email, reference or external id."""
    with _audited(
        user=user,
        credential=credential,
        action=LookupEvent.Action.SEARCH,
        business_id=business_id,
        query=query,
        # A business that exists with a page past the end is "no such page".
        subject="page" if page > 1 else "business",
    ):
        business = business_get(credential=credential, business_id=business_id)
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
) -> CustomerLookup:
    """One customer in full, with the business's currency for its money fields."""
    with _audited(
        user=user,
        credential=credential,
        action=LookupEvent.Action.VIEW,
        business_id=business_id,
        customer_id=customer_id,
    ) as note:
        business = business_get(credential=credential, business_id=business_id)
        customer = thredfi_client(credential).get_customer(business_id, customer_id)
        note.customer_name = customer.display_name or customer.company_name or ""
        return CustomerLookup(business=business, customer=customer)


def document_download_url(
    *,
    user: AbstractBaseUser,
    credential: PartnerCredential,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    document_id: uuid.UUID,
) -> str:
    """A freshly presigned URL for one document, so a link works however old the page is.

    Thredfi only hands out document URLs with the customer, so this re-reads the customer.
    Only http(s) URLs are ever returned: anything else from upstream is refused.
    """
    with _audited(
        user=user,
        credential=credential,
        action=LookupEvent.Action.DOWNLOAD,
        business_id=business_id,
        customer_id=customer_id,
        document_id=document_id,
    ) as note:
        customer = thredfi_client(credential).get_customer(business_id, customer_id)
        note.customer_name = customer.display_name or ""
        for document in customer.documents:
            if str(document.document_id) == str(document_id):
                if not document.is_safe_url:
                    raise thredfi_errors.BadResponse(
                        message="document URL is not an http(s) link", status=200
                    )
                return document.url
        missing = thredfi_errors.NotFound(message="document not attached to this customer")
        raise LookupFailed(problem_from_error(missing, subject="document"))
