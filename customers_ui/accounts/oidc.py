"""The OpenID Connect client (Authlib), configured from settings.

Authlib does the protocol: discovery from `OIDC_ISSUER/.well-known/openid-configuration`, the
authorization-code flow with PKCE (S256), `state` kept in the session and used once, a `nonce`,
and the ID token's signature checked against the provider's published keys (fetched again when
an unknown key id appears, so key rotation just works). On top, this module insists on what a
relying party must check and Authlib leaves to configuration: the discovery document names our
issuer, the token is signed with one of OIDC_ID_TOKEN_ALGORITHMS (asymmetric only, whatever
discovery lists), and its `iss`, `aud`, `sub`, `exp` and `iat` are present and right.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect

from customers_ui.accounts import refusals
from customers_ui.accounts.refusals import SSORefused

if TYPE_CHECKING:
    from authlib.integrations.django_client import DjangoOAuth2App

# Authlib and joserfc are imported where a sign-in needs them, not here: this module is loaded
# by every login page, and a deployment without single sign-on should not carry them in every
# worker's memory.

SCOPE = "openid email profile"
DISCOVERY_PATH = "/.well-known/openid-configuration"
# Seconds of clock difference tolerated on exp/iat/nbf (Authlib's default is 120).
CLOCK_SKEW_SECONDS = 60
# What an OAuth error code looks like (RFC 6749 §4.1.2.1: a short ASCII token).
_ERROR_CODE = re.compile(r"[a-z0-9_.-]{1,64}")


@dataclass(frozen=True, slots=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    name: str


def sso_configured() -> bool:
    """Single sign-on is offered when an issuer is set (production also insists on the rest)."""
    return bool(settings.OIDC_ISSUER)


def provider() -> Provider:
    return Provider(
        issuer=settings.OIDC_ISSUER,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        name=settings.OIDC_PROVIDER_NAME,
    )


def discovery_url(issuer: str) -> str:
    # Issuers may end in "/" (Auth0 does); `iss` must match it exactly, the URL must not double it.
    return issuer.rstrip("/") + DISCOVERY_PATH


@functools.lru_cache(maxsize=8)
def _client(issuer: str, client_id: str, client_secret: str, timeout: float) -> DjangoOAuth2App:
    """One Authlib client per configuration, kept for the process: it caches the discovery
    document and the provider's keys, so a sign-in costs only the token request."""
    from authlib.integrations.django_client import OAuth

    registry = OAuth()
    return registry.register(
        name="oidc",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=discovery_url(issuer),
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "default_timeout": timeout,
        },
    )


def _configured_client() -> DjangoOAuth2App:
    config = provider()
    if not (config.issuer and config.client_id and config.client_secret):
        raise SSORefused(
            "sso_not_configured",
            "Single sign-on is not fully set up here yet. Ask your administrator.",
            status=503,
        )
    client = _client(config.issuer, config.client_id, config.client_secret, settings.OIDC_TIMEOUT)
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise refusals.unreachable("provider_unreachable", config.name) from error
    if metadata.get("issuer") != config.issuer:
        # OpenID Connect Discovery 1.0 §4.3: a document naming another issuer must not be used.
        raise refusals.unverifiable("discovery_issuer_mismatch", config.name)
    # Authlib verifies the ID token with the algorithms the discovery document lists. That list
    # is the provider's to advertise, not ours to trust: "none" there would let an unsigned
    # token through, HS256 one keyed with our own client secret. Ours replaces it, every time.
    metadata["id_token_signing_alg_values_supported"] = list(settings.OIDC_ID_TOKEN_ALGORITHMS)
    return client


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def form_action_origins() -> list[str]:
    """Origins the login page's CSP `form-action` must allow besides its own.

    Browsers apply `form-action` to the redirects that follow a form submission, so the SSO
    button's POST, answered with a redirect to the provider, needs the provider's origin. That
    is the issuer's for every mainstream provider; an authorization endpoint elsewhere is added
    once this process has read the discovery document (never fetched just to draw the page).
    """
    config = provider()
    origins = {_origin(config.issuer)}
    if config.client_id and config.client_secret:
        client = _client(
            config.issuer, config.client_id, config.client_secret, settings.OIDC_TIMEOUT
        )
        origins.add(_origin(str(client.server_metadata.get("authorization_endpoint", ""))))
    return sorted(origin for origin in origins if origin)


def authorization_redirect(*, request: HttpRequest, redirect_uri: str) -> HttpResponseRedirect:
    """The redirect to the provider's authorization endpoint; state, nonce and the PKCE
    verifier stay in this session for the callback."""
    client = _configured_client()
    try:
        return client.authorize_redirect(request, redirect_uri)
    except (requests.RequestException, ValueError) as error:
        raise refusals.unreachable("provider_unreachable", provider().name) from error


def verified_claims(*, request: HttpRequest) -> dict[str, Any]:
    """The callback: exchange the code and return the ID token's claims, every check passed.

    Raises `SSORefused` for anything else: the provider's own error, a state this session did
    not start (or already used), a refused code, an unreachable provider, or an ID token that
    fails its signature, issuer, audience, expiry or nonce.
    """
    from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
    from joserfc.errors import ExpiredTokenError, JoseError

    config = provider()
    client = _configured_client()
    claims_options = {
        "iss": {"essential": True, "value": config.issuer},
        "aud": {"essential": True, "value": config.client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
    }
    try:
        token = client.authorize_access_token(
            request, claims_options=claims_options, leeway=CLOCK_SKEW_SECONDS
        )
    except MismatchingStateError as error:
        raise refusals.out_of_date("state_mismatch") from error
    except OAuthError as error:
        if request.GET.get("error"):
            # Anyone can put text in that query parameter: show and keep an error code only.
            code = error.error if _ERROR_CODE.fullmatch(str(error.error)) else "unknown_error"
            raise SSORefused(
                f"provider_error: {code}",
                f"{config.name} did not sign you in ({code}). " + refusals.START_AGAIN,
                status=403,
            ) from error
        # The token endpoint refused the code: replayed, expired, or not ours.
        raise refusals.out_of_date(f"code_refused: {error.error}"[:255]) from error
    except requests.RequestException as error:
        raise refusals.unreachable("provider_unreachable", config.name) from error
    except ExpiredTokenError as error:
        raise refusals.unverifiable("id_token_expired", config.name) from error
    except JoseError as error:
        raise refusals.unverifiable(f"id_token_invalid: {error}"[:255], config.name) from error
    except (ValueError, KeyError, TypeError) as error:
        raise refusals.unverifiable("id_token_unreadable", config.name) from error
    userinfo = token.get("userinfo")
    if not userinfo:
        raise refusals.unverifiable("no_id_token", config.name)
    return dict(userinfo)
