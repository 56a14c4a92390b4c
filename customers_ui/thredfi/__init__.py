"""Thredfi Partner API client: tokens, typed records, typed errors.

Stdlib and ``requests`` only: settings, the cache and the clock are passed in, so this package can
be lifted out of the dashboard and published on its own.
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import errors
from .client import ThredfiClient
from .errors import (
    AuthenticationFailed,
    BadResponse,
    Conflict,
    CredentialsRefused,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServiceUnavailable,
    ThredfiError,
    UpstreamError,
    UpstreamTimeout,
    UpstreamTLSFailure,
    UpstreamUnreachable,
    ValidationFailed,
)
from .records import Business, Customer, CustomerPage, Document, Lifecycle
from .tokens import ApiKey, InMemoryTokenCache, TokenCache
from .transport import Timeouts, retry_worthy

__all__ = [
    "ApiKey",
    "AuthenticationFailed",
    "BadResponse",
    "Business",
    "Conflict",
    "CredentialsRefused",
    "Customer",
    "CustomerPage",
    "Document",
    "InMemoryTokenCache",
    "Lifecycle",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "ServiceUnavailable",
    "ThredfiClient",
    "ThredfiError",
    "Timeouts",
    "TokenCache",
    "UpstreamError",
    "UpstreamTLSFailure",
    "UpstreamTimeout",
    "UpstreamUnreachable",
    "ValidationFailed",
    "__version__",
    "errors",
    "retry_worthy",
]
