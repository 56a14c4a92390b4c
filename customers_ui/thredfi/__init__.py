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
    ThredfiError,
    UpstreamError,
    UpstreamTimeout,
    UpstreamUnreachable,
    ValidationFailed,
)
from .records import Business, Customer, CustomerPage, Document
from .tokens import InMemoryTokenCache, TokenCache
from .transport import Timeouts

__all__ = [
    "AuthenticationFailed",
    "BadResponse",
    "Business",
    "Conflict",
    "CredentialsRefused",
    "Customer",
    "CustomerPage",
    "Document",
    "InMemoryTokenCache",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "ThredfiClient",
    "ThredfiError",
    "Timeouts",
    "TokenCache",
    "UpstreamError",
    "UpstreamTimeout",
    "UpstreamUnreachable",
    "ValidationFailed",
    "__version__",
    "errors",
]
