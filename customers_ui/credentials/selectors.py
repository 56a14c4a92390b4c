"""Reads of a user's credentials, each scoped to that user (nobody sees another's)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from customers_ui.models import PartnerCredential

ACTIVE_CREDENTIAL_SESSION_KEY = "active_credential_id"


def credential_list(*, user: AbstractBaseUser) -> QuerySet[PartnerCredential]:
    return PartnerCredential.objects.filter(owner=user).order_by("-is_default", "label")


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
