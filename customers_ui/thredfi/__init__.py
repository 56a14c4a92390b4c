"""Thredfi Partner API client: tokens, typed records, typed errors.

Stdlib, ``urllib3`` and ``certifi`` only: settings, the cache and the clock are passed in, so this
package can be lifted out of the dashboard and published on its own.
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import errors
from .client import ThredfiClient
from .errors import (
    AuthenticationFailed,
    BadResponse,
    BusinessNotFound,
    CircuitOpen,
    Conflict,
    CredentialsRefused,
    CredentialsUnusable,
    NotFound,
    Overloaded,
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
from .guard import BreakerState, GuardSettings, UpstreamGuard, outage_sign
from .records import Business, BusinessPage, Customer, CustomerPage, Document, Lifecycle
from .tokens import ApiKey, InMemoryTokenCache, TokenCache, is_sendable_api_key
from .transport import Timeouts, retry_worthy

__all__ = [
    "ApiKey",
    "AuthenticationFailed",
    "BadResponse",
    "BreakerState",
    "Business",
    "BusinessNotFound",
    "BusinessPage",
    "CircuitOpen",
    "Conflict",
    "CredentialsRefused",
    "CredentialsUnusable",
    "Customer",
    "CustomerPage",
    "Document",
    "GuardSettings",
    "InMemoryTokenCache",
    "Lifecycle",
    "NotFound",
    "Overloaded",
    "PermissionDenied",
    "RateLimited",
    "ServiceUnavailable",
    "ThredfiClient",
    "ThredfiError",
    "Timeouts",
    "TokenCache",
    "UpstreamError",
    "UpstreamGuard",
    "UpstreamTLSFailure",
    "UpstreamTimeout",
    "UpstreamUnreachable",
    "ValidationFailed",
    "__version__",
    "errors",
    "is_sendable_api_key",
    "outage_sign",
    "retry_worthy",
]
