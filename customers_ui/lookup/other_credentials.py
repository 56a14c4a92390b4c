"""A business the active credential cannot open may be one another of the person's serves.

Someone who holds several credentials (their own for two partners, a team's scoped to some
businesses) follows a colleague's link or a helpdesk ticket while the wrong one is active: Thredfi
answers "no such business", or the scope refuses it. Instead of a dead end, the problem page names
the credentials that can open it, each with a button that makes it the active one and comes back.

Which credentials can is read from the partners' business directories (one query, no call to
Thredfi), so only a business the person's own credentials have already seen listed is offered,
and never a credential they do not hold or whose scope leaves the business out.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from customers_ui.core.problems import LookupFailed, OutsideCredentialScope, ProblemAction
from customers_ui.credentials.selectors import usable_credentials
from customers_ui.directory.selectors import partners_listing_business
from customers_ui.models import PartnerCredential
from customers_ui.thredfi import BusinessNotFound

MAX_OFFERED = 3

View = Callable[..., HttpResponse]


def offers_other_credentials(view: View) -> View:
    """Put the credentials that can open the business on a "no such business" or "outside
    scope" page (inside `shows_problems`, which renders it)."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, credential: PartnerCredential, *args: object, **kwargs: object
    ) -> HttpResponse:
        try:
            return view(request, credential, *args, **kwargs)
        except LookupFailed as failure:
            business_id = failure.business_id
            if request.method == "GET" and business_id is not None:
                actions = other_credential_actions(
                    user=request.user, current=credential, business_id=business_id, failure=failure
                )
                if actions:
                    failure.problem = dataclasses.replace(failure.problem, actions=actions)
            raise

    return wrapper


def other_credential_actions(
    *,
    user: AbstractBaseUser,
    current: PartnerCredential,
    business_id: uuid.UUID,
    failure: LookupFailed,
) -> tuple[ProblemAction, ...]:
    if isinstance(failure.cause, OutsideCredentialScope):
        same_partner_may = True  # the partner has it; another credential's scope may allow it
    elif isinstance(failure.cause, BusinessNotFound):
        # Thredfi said this partner has no such business: no credential of the same partner
        # can open it, whatever the partner's directory still remembers.
        same_partner_may = False
    else:
        return ()
    candidates = [
        other
        for other in usable_credentials(user=user)
        if other.pk != current.pk
        and other.in_scope(business_id)
        and (same_partner_may or other.partner_uuid != current.partner_uuid)
    ]
    if not candidates:
        return ()
    names = partners_listing_business(
        partner_uuids={other.partner_uuid for other in candidates},
        base_url=settings.THREDFI_BASE_URL,
        business_id=business_id,
    )
    offered = [other for other in candidates if other.partner_uuid in names][:MAX_OFFERED]
    return tuple(
        ProblemAction(
            note=(
                f"“{names[other.partner_uuid] or business_id}” is a business of your credential "
                f"{_named(other)}."
            ),
            label=f"Open it with {other.label}",
            url=reverse("customers_ui:credential_activate", args=[other.pk]),
        )
        for other in offered
    )


def _named(credential: PartnerCredential) -> str:
    if credential.is_team:
        return f"“{credential.label}” (shared by {credential.team.name})"
    return f"“{credential.label}”"
