"""DOT's OIDC validator with our claims and the misbehaviour switches.

Tokens still go through DOT's and oauthlib's real code path (PKCE, single-use codes, nonce,
signing); this class only supplies claim values and, when a test asked for it, spoils chosen
claims just before signing or re-signs the finished token with a key the JWKS never publishes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from jwcrypto import jwk, jwt
from jwcrypto.common import base64url_decode, base64url_encode
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.common import Request

from tests.oidc_provider.keys import RSA_KEY_BITS
from tests.oidc_provider.misbehaviour import Misbehaviour, switchboard
from tests.oidc_provider.models import Profile

_MISBEHAVIOUR_ATTR = "_test_provider_misbehaviour"


@functools.cache
def rogue_key() -> jwk.JWK:
    """A well-formed RSA key that is never in the JWKS: tokens it signs must fail verification."""
    return jwk.JWK.generate(kty="RSA", size=RSA_KEY_BITS)


def _profile(request: Request) -> Profile:
    """The user's Profile, looked up once per oauthlib request however many claims read it."""
    cached = getattr(request, "_test_provider_profile", None)
    if cached is None:
        cached = Profile.objects.filter(user=request.user).first() or Profile(
            user=request.user, sub=str(request.user.pk)
        )
        request._test_provider_profile = cached
    return cached


class TestProviderValidator(OAuth2Validator):
    """Claims from ``Profile``; ``amr`` rides on the ``openid`` scope like ``sub``."""

    __test__ = False  # the name starts with "Test": keep pytest from treating it as a test class

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "amr": "openid"}

    def get_additional_claims(self) -> dict[str, Callable[[Request], Any]]:
        """Request-agnostic form (callables), so discovery's ``claims_supported`` lists them."""
        return {
            "sub": lambda r: _profile(r).sub,
            "amr": lambda r: list(_profile(r).amr),
            "name": lambda r: _profile(r).name,
            "email": lambda r: r.user.email,
            "email_verified": lambda r: _profile(r).email_verified,
        }

    def get_id_token_dictionary(
        self, token: dict[str, Any], token_handler: Any, request: Request
    ) -> tuple[dict[str, Any], Any]:
        """DOT's claims, then the test's overrides: DOT merges these over oauthlib's aud/nonce."""
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        misbehaviour: Misbehaviour = getattr(request, _MISBEHAVIOUR_ATTR, Misbehaviour())
        claims.update(misbehaviour.claim_overrides())
        for name in misbehaviour.drop_claims:
            claims.pop(name, None)
        return claims, expiration_time

    def finalize_id_token(
        self, id_token: dict[str, Any], token: dict[str, Any], token_handler: Any, request: Request
    ) -> str:
        """Consume one misbehaviour per ID token, let DOT sign, then re-sign if asked to."""
        misbehaviour = switchboard.take()
        setattr(request, _MISBEHAVIOUR_ATTR, misbehaviour)
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        if misbehaviour.rogue_key:
            return _resign_with(rogue_key(), signed)
        if misbehaviour.unsigned:
            return _unsigned(signed)
        return signed


def _resign_with(key: jwk.JWK, compact_jws: str) -> str:
    """The same header and claims signed by ``key``, its ``kid`` naming a key nobody publishes."""
    header_b64, claims_b64, _signature = compact_jws.split(".")
    header = json.loads(base64url_decode(header_b64))
    header["kid"] = key.thumbprint()
    token = jwt.JWT(header=json.dumps(header), claims=base64url_decode(claims_b64).decode("utf-8"))
    token.make_signed_token(key)
    return token.serialize()


def _unsigned(compact_jws: str) -> str:
    """The same claims with `"alg": "none"` and an empty signature (RFC 7519 §6). `at_hash` and
    `c_hash` go: they are defined by the signing algorithm's hash, and "none" has none."""
    _header_b64, claims_b64, _signature = compact_jws.split(".")
    claims = json.loads(base64url_decode(claims_b64))
    for name in ("at_hash", "c_hash"):
        claims.pop(name, None)
    header = base64url_encode(json.dumps({"alg": "none", "typ": "JWT"}))
    return f"{header}.{base64url_encode(json.dumps(claims))}."
