"""Who may read a partner's directory: holders of a credential Thredfi accepted recently.

The directory is shared by everyone whose credential is for the partner, so holding a credential
that *names* the partner is not enough: a mistyped or revoked key must not open a list of
another company's businesses. A credential earns a proof when it lists the partner's businesses
successfully (the access check below, or a sync it ran); the proof is fresh for
`PROOF_FRESH_SECONDS`, after which the next page checks again with one small call. If Thredfi
cannot answer that check (an outage, not a refusal), a proof up to `PROOF_KEPT_SECONDS` old still
counts: the directory only holds names Thredfi already showed this credential.

Proofs live in the shared cache, keyed by the credential's cache identity, which changes with its
key version: a replaced key has no proof until it works. They are encrypted and bound to that key
(a proof copied to another credential is a miss) and carry their own expiry.
"""

from __future__ import annotations

import time

from django.conf import settings

from customers_ui.models import PartnerCredential
from customers_ui.upstream.caching import TwoLevelCache, credential_cache_identity

PROOF_FRESH_SECONDS = 15 * 60
PROOF_KEPT_SECONDS = 24 * 60 * 60
# Clocks of two web machines may differ a little; a proof dated further ahead is not believed.
CLOCK_SKEW_SECONDS = 60

# Encrypted (so nobody who can write to the cache can plant one) and bound to its key (so one
# credential's proof copied under another's is a miss): see customers_ui.upstream.caching.
_proofs = TwoLevelCache(prefix="directory-access", encrypt=True)
clock = time.time  # tests move it


def _holder(credential: PartnerCredential) -> dict[str, str]:
    return {"partner": str(credential.partner_uuid), "origin": settings.THREDFI_BASE_URL}


def access_proof_age(*, credential: PartnerCredential) -> float | None:
    """Seconds since this credential last proved it works for its partner; None if never, or if
    the proof has expired (PROOF_KEPT_SECONDS, carried in the proof itself, whatever the cache
    keeps) or is dated in the future."""
    proof = _proofs.get(credential_cache_identity(credential))
    if not isinstance(proof, dict) or proof.get("holder") != _holder(credential):
        return None
    try:
        at, expires = float(proof["at"]), float(proof["expires"])
    except (KeyError, TypeError, ValueError):
        return None
    now = clock()
    if at > now + CLOCK_SKEW_SECONDS or now >= expires or expires > at + PROOF_KEPT_SECONDS:
        return None
    return max(0.0, now - at)


def access_grant(*, credential: PartnerCredential) -> None:
    """Thredfi just listed this partner's businesses for this credential."""
    now = clock()
    _proofs.set(
        credential_cache_identity(credential),
        {"holder": _holder(credential), "at": now, "expires": now + PROOF_KEPT_SECONDS},
        timeout=PROOF_KEPT_SECONDS,
    )


def access_revoke(*, credential: PartnerCredential) -> None:
    """Thredfi refused this credential: it sees no directory until it works again."""
    _proofs.delete(credential_cache_identity(credential))
