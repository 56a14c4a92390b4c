"""RSA signing keys, made fresh at every start-up so no key material lives in the repository."""

from __future__ import annotations

from jwcrypto import jwk

RSA_KEY_BITS = 2048


def new_rsa_private_pem() -> str:
    """A new RSA private key as PEM: the format DOT's ``OIDC_RSA_PRIVATE_KEY`` setting takes."""
    key = jwk.JWK.generate(kty="RSA", size=RSA_KEY_BITS)
    return key.export_to_pem(private_key=True, password=None).decode("ascii")
