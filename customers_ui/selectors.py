"""Reads the views need, each scoped to the requesting user (a user never sees another's data)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from customers_ui.models import LookupEvent, PartnerCredential

ACTIVE_CREDENTIAL_SESSION_KEY = "active_credential_id"


def credential_list(*, user: AbstractBaseUser) -> Iterable[PartnerCredential]:
    return PartnerCredential.objects.filter(owner=user).order_by("-is_default", "label")


def credential_get(*, user: AbstractBaseUser, credential_id: int) -> PartnerCredential:
    """Raise PartnerCredential.DoesNotExist for another user's id, exactly as for a missing one."""
    return PartnerCredential.objects.get(owner=user, pk=credential_id)


def active_credential(*, user: AbstractBaseUser, session: Any) -> PartnerCredential | None:
    """The credential chosen in this session, else the user's default, else their first one.

    Usually one query; a stale session choice (deleted credential) falls back quietly.
    """
    chosen = session.get(ACTIVE_CREDENTIAL_SESSION_KEY)
    credentials = PartnerCredential.objects.filter(owner=user)
    if chosen is not None:
        credential = credentials.filter(pk=chosen).first()
        if credential is not None:
            return credential
    return credentials.order_by("-is_default", "label", "pk").first()


def recent_lookups(*, user: AbstractBaseUser, limit: int = 10) -> list[LookupEvent]:
    """The user's latest successful customer views, one line per customer."""
    seen: set[tuple[object, object]] = set()
    recent: list[LookupEvent] = []
    events = LookupEvent.objects.filter(
        user=user, action=LookupEvent.Action.VIEW, outcome="ok"
    ).only("business_id", "customer_id", "customer_name", "created_at", "credential_label")
    for event in events[: limit * 5]:
        key = (event.business_id, event.customer_id)
        if key in seen:
            continue
        seen.add(key)
        recent.append(event)
        if len(recent) == limit:
            break
    return recent
