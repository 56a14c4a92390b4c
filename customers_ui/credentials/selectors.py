"""Reads of a user's credentials, each scoped to that user (nobody sees another's)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet

from customers_ui.models import PartnerCredential

ACTIVE_CREDENTIAL_SESSION_KEY = "active_credential_id"


def credential_list(*, user: AbstractBaseUser) -> QuerySet[PartnerCredential]:
    return PartnerCredential.objects.filter(owner=user).order_by("-is_default", "label")


def active_credential(*, user: AbstractBaseUser, session: Any) -> PartnerCredential | None:
    """The credential chosen in this session, else the user's default, else their first one.

    One query, also when the session's choice is stale (a deleted credential, or another user's:
    only the user's own rows are read). Written as SQL, like the session's user query
    (customers_ui.accounts.backends): every lookup page asks, and the ORM spent ~0.3 ms of CPU
    compiling two chained filters and a `first()` each time (issue #23: 426 -> 95 µs,
    `python -m bench.profile_parts`).
    """
    chosen = session.get(ACTIVE_CREDENTIAL_SESSION_KEY)
    if chosen is not None:
        try:
            chosen = PartnerCredential._meta.pk.to_python(chosen)
        except (ValidationError, TypeError):
            chosen = None
    rows = PartnerCredential._default_manager.raw(_active_query(), [user.pk, chosen])
    return next(iter(rows), None)


@cache
def _active_query() -> str:
    """The chosen row first (NULL when nothing is chosen: no row matches), then the order of
    `credential_list` with the primary key as the last tie-break."""
    meta = PartnerCredential._meta
    quote = connection.ops.quote_name
    pk = quote(meta.pk.column)
    return (
        f"SELECT * FROM {quote(meta.db_table)} "  # noqa: S608 - names from the model
        f"WHERE {quote(meta.get_field('owner').column)} = %s "
        f"ORDER BY ({pk} = %s) DESC, {quote(meta.get_field('is_default').column)} DESC, "
        f"{quote(meta.get_field('label').column)} ASC, {pk} ASC LIMIT 1"
    )
