"""Builds the Thredfi client for a stored credential: the one place settings meet the client."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable

from django.conf import settings

from customers_ui.models import PartnerCredential
from customers_ui.thredfi import ThredfiClient, Timeouts
from customers_ui.upstream.caching import (
    credential_cache_identity,
    token_cache,
)
from customers_ui.upstream.guards import upstream_guard
from dashboard import __version__

USER_AGENT = f"customer-lookup-dashboard/{__version__}"


def retry_pause(seconds: float) -> None:
    """How the client waits between retries (a module function so tests can skip the waits:
    the retries and their deadline are still exercised, without the sleeping)."""
    time.sleep(seconds)


def thredfi_client(credential: PartnerCredential) -> ThredfiClient:
    """A client for one credential. Cheap to build per request: connections and tokens are
    pooled and cached outside the instance, and the API key stays encrypted until a partner
    token must actually be minted (a page served from cached tokens never decrypts it)."""
    return ThredfiClient(
        base_url=settings.THREDFI_BASE_URL,
        partner_uuid=credential.partner_uuid,
        api_key=credential.get_api_key,
        token_cache=token_cache,
        timeouts=Timeouts(
            connect=settings.THREDFI_CONNECT_TIMEOUT,
            read=settings.THREDFI_READ_TIMEOUT,
            total=settings.THREDFI_TOTAL_TIMEOUT,
        ),
        max_body_bytes=settings.THREDFI_MAX_BODY_BYTES,
        user_agent=USER_AGENT,
        cache_namespace=credential_cache_identity(credential),
        guard=upstream_guard(),
        sleep=retry_pause,
    )


def credential_tokens_forget(
    credential: PartnerCredential, *, business_ids: Iterable[uuid.UUID] = ()
) -> None:
    """Drop this credential's cached tokens now: its partner token and the business tokens of
    `business_ids`, in the shared cache and this process's copy.

    Called before a credential's key is replaced or it is deleted. (A replaced key also gets a
    new key version, so whatever token is not named here can never be read again either.)
    """
    client = thredfi_client(credential)
    token_cache.delete(client.partner_token_cache_key)
    for business_id in business_ids:
        token_cache.delete(client.business_token_cache_key(business_id))
