"""A credential's business scope, checked before any call to Thredfi.

A team credential may be limited to some of its partner's businesses. Every way into a business
(the picker, business search, `/go`, a pasted ID, each `/customers/<business>/…` URL) asks
`scope_check` first: outside the scope is a 403 page naming the team and the credential, and no
request leaves for Thredfi.
"""

from __future__ import annotations

import uuid

from customers_ui.core.problems import CredentialNotAllowed, LookupFailed, OutsideCredentialScope
from customers_ui.credentials.selectors import personal_credentials_allowed
from customers_ui.models import PartnerCredential


def outside_scope(credential: PartnerCredential) -> OutsideCredentialScope:
    scope = credential.scope_ids or frozenset()
    count = f"{len(scope)} business{'es' if len(scope) != 1 else ''}"
    if credential.is_team:
        holder = f"the credential “{credential.label}” shared by the team “{credential.team.name}”"
    else:
        holder = f"the credential “{credential.label}”"
    return OutsideCredentialScope(
        f"You are looking up with {holder}, which serves {count} of its partner; this business "
        "is not one of them, so nothing was asked of Thredfi."
    )


def scope_check(*, credential: PartnerCredential, business_id: uuid.UUID | None) -> None:
    """Raise `LookupFailed` (403, outcome "outside_scope") when the business is out of scope."""
    if not credential.in_scope(business_id):
        raise LookupFailed(outside_scope(credential), subject="business", business_id=business_id)


def usable_check(*, credential: PartnerCredential) -> None:
    """Raise `LookupFailed` (403) for a personal credential while personal ones are switched off."""
    if not credential.is_team and not personal_credentials_allowed():
        raise LookupFailed(
            CredentialNotAllowed(
                "This dashboard only uses credentials held by teams; personal credentials are "
                "switched off (PERSONAL_CREDENTIALS_ALLOWED)."
            )
        )
