"""Reads of the credentials a user may use: their own and their teams', each scoped to that user
(nobody sees another's)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection
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
    """The credential chosen in this session, else the user's default, else their first one,
    among `usable_credentials` and in its order; its team comes with it (as `select_related`).

    One query, also when the session's choice is stale (deleted, another user's, or a team the
    user has left: only usable rows are read, membership on every call). Written as SQL, like the
    session's user query (customers_ui.accounts.backends): every lookup page asks, and the ORM
    spent ~0.3 ms of CPU compiling it each time (issue #23, `python -m bench.profile_parts`).
    """
    chosen = session.get(ACTIVE_CREDENTIAL_SESSION_KEY)
    if chosen is not None:
        try:
            chosen = PartnerCredential._meta.pk.to_python(chosen)
        except (ValidationError, TypeError):
            chosen = None
    personal = personal_credentials_allowed()
    params = [user.pk, user.pk, chosen] if personal else [user.pk, chosen]
    with connection.cursor() as cursor:
        cursor.execute(_active_query(personal=personal), params)
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for index, column, converters in _converters():  # as the ORM does: JSON, dates, booleans
        value = row[index]
        for converter in converters:
            value = converter(value, column, connection)
        row[index] = value
    columns = _credential_columns()
    credential = PartnerCredential.from_db(
        connection.alias, [field.attname for field in columns], row[: len(columns)]
    )
    team = None
    if credential.team_id is not None:
        team = Team.from_db(
            connection.alias, [field.attname for field in _team_columns()], row[len(columns) :]
        )
    PartnerCredential._meta.get_field("team").set_cached_value(credential, team)
    return credential


def _credential_columns() -> list[Any]:
    return list(PartnerCredential._meta.concrete_fields)


def _team_columns() -> list[Any]:
    return list(Team._meta.concrete_fields)


@cache
def _converters() -> list[tuple[int, Any, list[Any]]]:
    found = []
    for index, field in enumerate(_credential_columns() + _team_columns()):
        column = field.get_col(field.model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if converters:
            found.append((index, column, converters))
    return found


@cache
def _active_query(*, personal: bool) -> str:
    """`usable_credentials` as SQL: the chosen row first (a NULL choice matches no row), then
    personal ones (no team) first, default first, by label, by primary key."""
    quote = connection.ops.quote_name
    credential, team = PartnerCredential._meta, Team._meta
    members_field = Team._meta.get_field("members")
    members = members_field.remote_field.through._meta
    team_fk = quote(credential.get_field("team").column)
    pk = quote(credential.pk.column)
    held = (
        f"c.{team_fk} IN (SELECT m.{quote(members_field.m2m_column_name())} "  # noqa: S608
        f"FROM {quote(members.db_table)} m "
        f"WHERE m.{quote(members_field.m2m_reverse_name())} = %s)"
    )
    if personal:
        held = f"({held} OR c.{quote(credential.get_field('owner').column)} = %s)"
    selected = [f"c.{quote(field.column)}" for field in _credential_columns()] + [
        f"t.{quote(field.column)}" for field in _team_columns()
    ]
    return (
        f"SELECT {', '.join(selected)} FROM {quote(credential.db_table)} c "  # noqa: S608 - model names
        f"LEFT OUTER JOIN {quote(team.db_table)} t ON t.{quote(team.pk.column)} = c.{team_fk} "
        f"WHERE {held} "
        f"ORDER BY (c.{pk} = %s) DESC, c.{team_fk} ASC NULLS FIRST, "
        f"c.{quote(credential.get_field('is_default').column)} DESC, "
        f"c.{quote(credential.get_field('label').column)} ASC, c.{pk} ASC LIMIT 1"
    )
