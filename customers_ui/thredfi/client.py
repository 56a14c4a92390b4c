"""The Thredfi Partner API client the dashboard talks through.

Cheap to construct (per web request is fine): connections are pooled per thread and tokens are
kept in the injected cache, so nothing expensive lives on the instance. Every public method runs
inside one deadline (``Timeouts.total``) covering token fetches, the 401 re-authentication and
retries, so a page never waits much longer than that whatever upstream does.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import (
    AuthenticationFailed,
    BadResponse,
    BusinessNotFound,
    CredentialsRefused,
    NotFound,
)
from .guard import UpstreamGuard
from .records import Business, BusinessPage, Customer, CustomerPage
from .tokens import ApiKey, TokenCache, TokenProvider, cache_key_prefix
from .transport import ApiResponse, Deadline, Timeouts, Transport

__all__ = ["MAX_PAGE_SIZE", "MAX_QUERY_CHARS", "ThredfiClient"]

MAX_PAGE_SIZE = 100
# The longest search text: the one constant the dashboard's forms, pages and audit trail read.
MAX_QUERY_CHARS = 200

BUSINESSES_PATH = "/v1/platform/businesses/"
BUSINESS_PATH = "/v1/platform/businesses/{business_id}/"
CUSTOMERS_PATH = "/v1/platform/businesses/{business_id}/customers/"
CUSTOMER_PATH = "/v1/platform/businesses/{business_id}/customers/{customer_id}/"

T = TypeVar("T")


def _check_paging(page: int, page_size: int) -> None:
    """Refuse paging a caller got wrong before any upstream call (bool is an int in Python)."""
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ValueError("page must be a positive integer")
    if isinstance(page_size, bool) or not isinstance(page_size, int):
        raise ValueError("page_size must be an integer")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")


def _uuid_arg(value: str | uuid.UUID, name: str) -> str:
    """Canonical UUID text; IDs go into URL paths, so anything else is refused before HTTP."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value.strip()))
        except ValueError:
            pass
    raise ValueError(f"{name} must be a UUID")


class ThredfiClient:
    """Read-only access to one partner's businesses and customers."""

    def __init__(
        self,
        *,
        base_url: str,
        partner_uuid: str | uuid.UUID,
        api_key: ApiKey,
        token_cache: TokenCache,
        user_agent: str,
        timeouts: Timeouts = Timeouts(),  # noqa: B008 - frozen dataclass, safe as a default
        max_body_bytes: int = 5 * 1024 * 1024,
        clock: Callable[[], float] = time.time,
        cache_namespace: str | None = None,
        guard: UpstreamGuard | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url or not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http(s) URL")
        if not api_key:
            raise ValueError("api_key is required")
        base_url = base_url.rstrip("/")
        partner_uuid = _uuid_arg(partner_uuid, "partner_uuid")
        self.base_url = base_url
        self.partner_uuid = partner_uuid
        self.timeouts = timeouts
        self._guard = guard
        self._transport = Transport(
            base_url=base_url,
            timeouts=timeouts,
            max_body_bytes=max_body_bytes,
            user_agent=user_agent,
            sleep=sleep,
        )
        self._tokens = TokenProvider(
            transport=self._transport,
            partner_uuid=partner_uuid,
            api_key=api_key,
            cache=token_cache,
            key_prefix=cache_key_prefix(
                base_url=base_url,
                partner_uuid=partner_uuid,
                api_key=api_key,
                cache_namespace=cache_namespace,
            ),
            clock=clock,
        )

    def __repr__(self) -> str:  # never show the key
        return f"ThredfiClient(base_url={self.base_url!r}, partner_uuid={self.partner_uuid!r})"

    @property
    def partner_token_cache_key(self) -> str:
        """Where the partner token is cached (for operators and tests; holds no secret)."""
        return self._tokens.partner_key

    def business_token_cache_key(self, business_id: str | uuid.UUID) -> str:
        return self._tokens.business_key(_uuid_arg(business_id, "business_id"))

    # -- businesses (partner token) ---------------------------------------------------------------

    def list_businesses_page(self, page: int = 1, page_size: int = MAX_PAGE_SIZE) -> BusinessPage:
        """One numbered page of the partner's businesses, in its own deadline.

        Numbered pages can be fetched side by side: the first answer's ``count`` says how many
        there are, so a caller can ask for the rest together instead of walking ``next`` links.
        """
        _check_paging(page, page_size)
        params: dict[str, Any] = {"page": page, "page_size": page_size}
        deadline = self._deadline()
        response = self._call(deadline, None, "GET", BUSINESSES_PATH, {}, params)
        return _parsed(
            response, lambda data: BusinessPage.from_api(data, page=page, page_size=page_size)
        )

    def get_business(self, business_id: str | uuid.UUID) -> Business:
        business_id = _uuid_arg(business_id, "business_id")
        deadline = self._deadline()
        try:
            response = self._call(
                deadline, None, "GET", BUSINESS_PATH, {"business_id": business_id}
            )
        except NotFound as error:
            raise BusinessNotFound.from_not_found(error) from None
        return _parsed(response, Business.from_api)

    def verify(self) -> BusinessPage:
        """Prove the stored credential works *now*: a cached token would hide a revoked key.

        One fresh partner token and the first page of businesses, whose ``count`` says how many
        the credential can see: reading every page would prove nothing more, and would not fit
        one deadline for a partner with tens of thousands of businesses.
        """
        self._tokens.forget_partner_token()
        return self.list_businesses_page(1)

    # -- customers (business-scoped token) -----------------------------------------------------

    def search_customers(
        self,
        business_id: str | uuid.UUID,
        query: str = "",
        page: int = 1,
        page_size: int = 20,
    ) -> CustomerPage:
        """Free-text search (name, email, reference) as the ``search`` filter; empty lists all."""
        business_id = _uuid_arg(business_id, "business_id")
        if not isinstance(query, str):
            raise ValueError("query must be a string")
        query = query.strip()
        if len(query) > MAX_QUERY_CHARS:
            raise ValueError(f"query must be at most {MAX_QUERY_CHARS} characters")
        _check_paging(page, page_size)
        params: dict[str, Any] = {"page": page, "page_size": page_size}
        if query:
            params["search"] = query
        deadline = self._deadline()
        response = self._call(
            deadline, business_id, "GET", CUSTOMERS_PATH, {"business_id": business_id}, params
        )
        return _parsed(
            response, lambda data: CustomerPage.from_api(data, page=page, page_size=page_size)
        )

    def get_customer(self, business_id: str | uuid.UUID, customer_id: str | uuid.UUID) -> Customer:
        business_id = _uuid_arg(business_id, "business_id")
        customer_id = _uuid_arg(customer_id, "customer_id")
        deadline = self._deadline()
        response = self._call(
            deadline,
            business_id,
            "GET",
            CUSTOMER_PATH,
            {"business_id": business_id, "customer_id": customer_id},
        )
        return _parsed(response, Customer.from_api)

    # -- internals ------------------------------------------------------------------------------

    def _deadline(self) -> Deadline:
        return Deadline(self.timeouts.total)

    def _call(
        self,
        deadline: Deadline,
        business_id: str | None,
        method: str,
        path_template: str,
        path_params: dict[str, str],
        params: dict[str, Any] | None = None,
    ) -> ApiResponse:
        """Authenticated request; on 401 drop the cached tokens, re-authenticate and retry ONCE.

        Tokens can be revoked or expire early upstream whatever our cache believes; one retry
        with fresh tokens recovers from that, a second 401 means re-trying will not help.
        The whole call, token fetches included, runs under the guard (bulkhead and breaker).
        """
        if self._guard is None:
            return self._authenticated_call(
                deadline, business_id, method, path_template, path_params, params
            )
        target = f"{method} {path_template.format(**path_params)}"
        with self._guard.call(deadline=deadline, target=target):
            return self._authenticated_call(
                deadline, business_id, method, path_template, path_params, params
            )

    def _authenticated_call(
        self,
        deadline: Deadline,
        business_id: str | None,
        method: str,
        path_template: str,
        path_params: dict[str, str],
        params: dict[str, Any] | None,
    ) -> ApiResponse:
        for attempt in (1, 2):
            token: str | None = None
            try:
                if business_id is None:
                    token = self._tokens.partner_token(deadline)
                else:
                    token = self._tokens.business_token(business_id, deadline)
                return self._transport.request(
                    method,
                    path_template,
                    path_params,
                    deadline=deadline,
                    params=params,
                    bearer=token,
                )
            except CredentialsRefused:
                raise
            except AuthenticationFailed:
                if attempt == 2:
                    raise
                self._tokens.invalidate(token, business_id=business_id)
        raise AssertionError("unreachable")  # pragma: no cover


def _parsed(response: ApiResponse, parse: Callable[[Any], T]) -> T:
    """Parse a 2xx body; a refusal still names the request, so support can trace it."""
    try:
        return parse(response.data)
    except BadResponse as error:
        error.status = error.status or response.status
        error.request_id = error.request_id or response.request_id
        raise
