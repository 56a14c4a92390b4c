"""Reads of the credentials a user may use: their own and their teams', each scoped to that user
(nobody sees another's)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Q, QuerySet

from customers_ui.models import PartnerCredential, Team

ACTIVE_CREDENTIAL_SESSION_KEY = "active_credential_id"


def personal_credentials_allowed() -> bool:
    return bool(settings.PERSONAL_CREDENTIALS_ALLOWED)


def credential_list(*, user: AbstractBaseUser) -> QuerySet[PartnerCredential]:
    """The user's own (personal) credentials."""
    return PartnerCredential.objects.filter(owner=user).order_by("-is_default", "label")


def usable_credentials(*, user: AbstractBaseUser) -> QuerySet[PartnerCredential]:
    """Every credential the user may look up with now: their own (unless personal credentials
    are switched off) and those of the teams they belong to, personal ones first.

    Team membership is read here on every call, so a member removed from a team cannot use its
    credentials from their next request on.
    """
    held = Q(team__in=Team.objects.filter(members=user))
    if personal_credentials_allowed():
        held |= Q(owner=user)
    return (
        PartnerCredential.objects.filter(held)
        .select_related("team")
        .order_by(F("team").asc(nulls_first=True), "-is_default", "label", "pk")
    )


def active_credential(*, user: AbstractBaseUser, session: Any) -> PartnerCredential | None:
    """The credential chosen in this session, else the user's default, else their first one.

    Usually one query; a stale session choice (deleted credential, or a team the user has left)
    falls back quietly.
    """
    chosen = session.get(ACTIVE_CREDENTIAL_SESSION_KEY)
    credentials = usable_credentials(user=user)
    if chosen is not None:
        credential = credentials.filter(pk=chosen).first()
        if credential is not None:
            return credential
    return credentials.first()
