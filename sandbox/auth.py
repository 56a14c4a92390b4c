"""Authentication: the two token routes, and the Bearer checks every data route starts with.

Partner tokens come from Basic auth (partner UUID + API key); business tokens from a partner token.
Where Thredfi's documentation is silent the sandbox picks the strict reading (sandbox/README.md,
"Token rules"): a business token is valid only on URLs with its own business id (401 elsewhere), and
a partner token on customer routes is 403, because re-authenticating will not help.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from sandbox.demo import Business
from sandbox.tokens import BUSINESS_SCOPE, PARTNER_SCOPE, Claims

if TYPE_CHECKING:
    from sandbox.server import SandboxHandler


# -- checks ------------------------------------------------------------------------------------


def claims(handler: SandboxHandler) -> Claims | None:
    """Claims of the Bearer token, or ``None`` after answering 401."""
    scheme, _, token = (handler.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        handler.send_api_error(
            401, "not_authenticated", "Authentication credentials were not provided."
        )
        return None
    verified = handler.server.tokens.verify(token.strip())
    if verified is None:
        handler.send_api_error(
            401,
            "token_not_valid",
            "Given token not valid for any token type.",
            {"reason": "invalid, expired or revoked token"},
        )
    return verified


def owned_business(handler: SandboxHandler, claims: Claims, business_id: str) -> Business | None:
    """The business if the token's partner owns it right now."""
    return handler.server.directory.business(claims.partner_id, business_id)


def partner_claims(handler: SandboxHandler) -> Claims | None:
    """Claims of a partner-scoped Bearer token, or ``None`` after answering 401."""
    found = claims(handler)
    if found is not None and found.scope != PARTNER_SCOPE:
        handler.send_api_error(
            401,
            "token_not_valid",
            "This endpoint needs a partner token; a business-scoped token was presented.",
        )
        return None
    return found


def business_access(handler: SandboxHandler, business_id: str) -> Business | None:
    """The business when the token may read its customers; otherwise answers and ``None``.

    Business tokens are valid only for URLs with their own business id (401 otherwise, as
    Thredfi documents). A partner token here gets 403: the guide says unscoped tokens cannot
    read customers, and 403 tells the client that re-authenticating will not help.
    """
    found = claims(handler)
    if found is None:
        return None
    if found.scope == BUSINESS_SCOPE:
        if found.business_id != business_id:
            handler.send_api_error(
                401, "token_not_valid", "Token is not valid for this business.", {}
            )
            return None
        business = owned_business(handler, found, business_id)
        if business is None:  # a big-partner business that has since gone upstream
            handler.send_api_error(404, "not_found", "Business not found.")
        return business
    business = owned_business(handler, found, business_id)
    if business is None:
        handler.send_api_error(404, "not_found", "Business not found.")
        return None
    handler.send_api_error(
        403,
        "permission_denied",
        "A business-scoped token is required for customer endpoints.",
        {"required_scope": BUSINESS_SCOPE},
    )
    return None


# -- token routes ------------------------------------------------------------------------------


def _grant_type(handler: SandboxHandler) -> str | None:
    content_type = handler.headers.get("Content-Type") or ""
    text = handler.body.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            value = json.loads(text or "{}")
        except ValueError:
            return None
        return value.get("grant_type") if isinstance(value, dict) else None
    return {k: v[-1] for k, v in parse_qs(text).items()}.get("grant_type")


def partner_token(handler: SandboxHandler) -> None:
    """``POST /v1/platform/oauth2/token/``: Basic auth + ``grant_type=client_credentials``."""
    scheme, _, encoded = (handler.headers.get("Authorization") or "").partition(" ")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    partner_id, _, api_key = decoded.partition(":")
    if scheme.lower() != "basic" or not handler.server.directory.valid_credentials(
        partner_id, api_key
    ):
        handler.send_api_error(
            401,
            "invalid_client",
            "Invalid partner credentials.",
            extra={"error": "invalid_client"},
            headers={"WWW-Authenticate": 'Basic realm="thredfi"'},
        )
        return
    if _grant_type(handler) != "client_credentials":
        handler.send_api_error(
            400,
            "unsupported_grant_type",
            "grant_type must be client_credentials.",
            {"field_errors": {"grant_type": ['Expected "client_credentials".']}},
            extra={
                "error": "unsupported_grant_type",
                "error_description": "grant_type must be client_credentials",
            },
        )
        return
    token = handler.server.tokens.issue(partner_id)
    handler.send_json(
        200,
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": handler.server.config.token_ttl,
        },
        {"Cache-Control": "no-store"},
    )


def business_token(handler: SandboxHandler, business_id: str) -> None:
    """``POST /v1/platform/{business_id}/oauth2/token/``: a partner token buys a business one."""
    found = partner_claims(handler)
    if found is None:
        return
    if owned_business(handler, found, business_id) is None:
        handler.send_api_error(404, "not_found", "Business not found.")
        return
    token = handler.server.tokens.issue(found.partner_id, business_id)
    handler.send_json(
        200,
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": handler.server.config.token_ttl,
            "scope": BUSINESS_SCOPE,
        },
        {"Cache-Control": "no-store"},
    )
