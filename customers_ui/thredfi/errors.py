"""Typed errors of the Thredfi client, one class per cause a caller handles differently.

Modelled on stripe-python's ``_error.py``: every error carries the HTTP status, Thredfi's
``error_code`` and its ``request_id`` (Thredfi support asks for it), so the dashboard can pick a
page from the *type* and show the id without parsing text. What a person is told is the
dashboard's business (its problem table), and whether a retry may help is the transport's
(``transport.retry_worthy``): neither is decided here.
Messages never contain tokens, API keys or request headers: only what Thredfi said about itself.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

from .coerce import as_str, clean_request_id

__all__ = [
    "AuthenticationFailed",
    "BadResponse",
    "BusinessNotFound",
    "CircuitOpen",
    "Conflict",
    "CredentialsRefused",
    "CredentialsUnusable",
    "NotFound",
    "Overloaded",
    "PermissionDenied",
    "RateLimited",
    "ServiceUnavailable",
    "ThredfiError",
    "UpstreamError",
    "UpstreamTLSFailure",
    "UpstreamTimeout",
    "UpstreamUnreachable",
    "ValidationFailed",
]

# Upstream messages are shown in logs and pages; a hostile or broken upstream must not flood them.
MAX_MESSAGE_CHARS = 500


class ThredfiError(Exception):
    """Base of every error the client raises (besides ValueError for malformed arguments)."""

    default_message = "the Thredfi API request failed"

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        error_code: str | None = None,
        request_id: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        self.message = (
            as_str(str(message), limit=MAX_MESSAGE_CHARS) if message is not None else None
        )
        self.status = status
        self.error_code = as_str(error_code, limit=100) if error_code is not None else None
        self.request_id = clean_request_id(request_id)
        self.detail: Mapping[str, Any] = detail if isinstance(detail, Mapping) else {}
        super().__init__(self.message)

    def __str__(self) -> str:
        text = self.message or self.default_message
        if self.status is not None and self.message is None:
            text = f"{text} (HTTP {self.status})"
        if self.request_id:
            return f"Request {self.request_id}: {text}"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status={self.status!r}, "
            f"error_code={self.error_code!r}, request_id={self.request_id!r})"
        )


class NotFound(ThredfiError):
    """404: the business or customer does not exist (or is not visible to this partner)."""

    default_message = "not found"


class BusinessNotFound(NotFound):
    """404 for the business itself (its record, or a token for it): the partner has no such
    business, so no customer of it can be found either. Callers that named a customer learn
    which of the two IDs Thredfi did not know."""

    default_message = "business not found"

    @classmethod
    def from_not_found(cls, error: NotFound) -> BusinessNotFound:
        return cls(
            error.message,
            status=error.status,
            error_code=error.error_code,
            request_id=error.request_id,
            detail=error.detail,
        )


class PermissionDenied(ThredfiError):
    """403: the credentials are valid but not allowed to see this resource."""

    default_message = "permission denied"


class AuthenticationFailed(ThredfiError):
    """401 that survived one re-authentication: the credentials (or Thredfi's view of them) fail."""

    default_message = "authentication failed"


class CredentialsRefused(AuthenticationFailed):
    """The partner token endpoint refused the partner UUID / API key: re-trying cannot help."""

    default_message = "partner credentials refused"


class CredentialsUnusable(CredentialsRefused):
    """The stored key cannot even be sent (e.g. characters HTTP Basic cannot carry)."""

    default_message = "the stored API key cannot be sent to Thredfi"


class RateLimited(ThredfiError):
    """429: Thredfi asks us to slow down; ``retry_after`` is seconds to wait, when it said."""

    default_message = "rate limited"

    def __init__(
        self, message: str | None = None, *, retry_after: float | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class UpstreamError(ThredfiError):
    """5xx, or a status the contract does not explain: Thredfi failed, not our request."""

    default_message = "Thredfi returned an error"


class ServiceUnavailable(UpstreamError):
    """503: Thredfi (or its edge) says it cannot serve requests right now."""

    default_message = "Thredfi is unavailable"


class Conflict(UpstreamError):
    """409: reported as an upstream error (a read should never conflict), but distinguishable."""

    default_message = "conflict"


class UpstreamTimeout(ThredfiError):
    """No answer within the configured timeouts / the operation's overall deadline."""

    default_message = "Thredfi did not answer in time"


class UpstreamUnreachable(ThredfiError):
    """No connection at all: refused, DNS failure, reset before an answer."""

    default_message = "Thredfi could not be reached"


class UpstreamTLSFailure(UpstreamUnreachable):
    """The TLS handshake failed: a certificate or protocol problem, not a passing blip."""

    default_message = "TLS handshake with Thredfi failed"


class CircuitOpen(ThredfiError):
    """Thredfi has not been answering, so the dashboard is not asking for a moment (no call made).

    ``retry_after`` is seconds until a probe will be let through.
    """

    default_message = "Thredfi is not answering"

    def __init__(self, message: str | None = None, *, retry_after: float, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class Overloaded(ThredfiError):
    """Too many Thredfi calls already in flight here: this one could not start in time (no call
    made)."""

    default_message = "too busy to start the Thredfi call in time"


class BadResponse(ThredfiError):
    """An answer we refuse to trust: not JSON, the wrong shape, or larger than the size cap."""

    default_message = "unreadable response from Thredfi"


class ValidationFailed(ThredfiError):
    """400/422: Thredfi rejected the request's data; ``field_errors`` says which fields, if any."""

    default_message = "request rejected by Thredfi"

    def __init__(
        self,
        message: str | None = None,
        *,
        field_errors: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.field_errors: dict[str, Any] = (
            dict(field_errors) if isinstance(field_errors, Mapping) else {}
        )


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date); None when absent/garbled."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN / inf
        return None
    return max(0.0, seconds)


def error_from_response(
    status: int, body: Any, headers: Mapping[str, str], *, header_request_id: str | None = None
) -> ThredfiError:
    """Build the typed error for a non-2xx answer; the body may be anything (or nothing)."""
    data: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
    message = data.get("message") if isinstance(data.get("message"), str) else None
    error_code = data.get("error_code") if isinstance(data.get("error_code"), str) else None
    detail = data.get("detail") if isinstance(data.get("detail"), Mapping) else {}
    body_request_id = clean_request_id(data.get("request_id"))
    kwargs: dict[str, Any] = {
        "status": status,
        "error_code": error_code,
        "request_id": body_request_id or clean_request_id(header_request_id),
        "detail": detail,
    }
    if status in (400, 422):
        field_errors = detail.get("field_errors")
        return ValidationFailed(message, field_errors=field_errors, **kwargs)
    if status == 401:
        return AuthenticationFailed(message, **kwargs)
    if status == 403:
        return PermissionDenied(message, **kwargs)
    if status == 404:
        return NotFound(message, **kwargs)
    if status == 409:
        return Conflict(message, **kwargs)
    if status == 429:
        return RateLimited(
            message, retry_after=parse_retry_after(headers.get("Retry-After")), **kwargs
        )
    if status == 503:
        return ServiceUnavailable(message, **kwargs)
    return UpstreamError(message, **kwargs)
