"""Who may read a partner's directory: holders of a credential Thredfi accepted recently.

The directory is shared by everyone whose credential is for the partner, so holding a credential
that *names* the partner is not enough: a mistyped or revoked key must not open a list of
another company's businesses. A credential earns a proof when it lists the partner's businesses
successfully (the access check below, or a sync it ran); the proof is fresh for
`PROOF_FRESH_SECONDS`, after which the next page checks again with one small call. If Thredfi
cannot answer that check (an outage, not a refusal), a proof up to `PROOF_KEPT_SECONDS` old still
counts: the directory only holds names Thredfi already showed this credential.

Proofs live in the shared cache, keyed by the credential's cache identity, which changes with its
key version: a replaced key has no proof until it works.
"""

from __future__ import annotations

import time

from django.conf import settings

from customers_ui.models import PartnerCredential
from customers_ui.upstream.caching import TwoLevelCache, credential_cache_identity

PROOF_FRESH_SECONDS = 15 * 60
PROOF_KEPT_SECONDS = 24 * 60 * 60

_proofs = TwoLevelCache(prefix="directory-access", encrypt=False)


def _holder(credential: PartnerCredential) -> dict[str, str]:
    return {"partner": str(credential.partner_uuid), "origin": settings.THREDFI_BASE_URL}


def access_proof_age(*, credential: PartnerCredential) -> float | None:
    """Seconds since this credential last proved it works for its partner; None if never."""
    proof = _proofs.get(credential_cache_identity(credential))
    if not isinstance(proof, dict) or proof.get("holder") != _holder(credential):
        return None
    try:
        return max(0.0, time.time() - float(proof["at"]))
    except (KeyError, TypeError, ValueError):
        return None


def access_grant(*, credential: PartnerCredential) -> None:
    """Thredfi just listed this partner's businesses for this credential."""
    _proofs.set(
        credential_cache_identity(credential),
        {"holder": _holder(credential), "at": time.time()},
        timeout=PROOF_KEPT_SECONDS,
    )


def access_revoke(*, credential: PartnerCredential) -> None:
    """Thredfi refused this credential: it sees no directory until it works again."""
    _proofs.delete(credential_cache_identity(credential))
