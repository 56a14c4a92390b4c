"""Issue #20 M2: the database's own guard of the audit trail, attacked as the app's own role.

These tests run as the role in DATABASE_URL, which (like a PaaS's) is not a superuser and owns
its database: exactly what an injected statement or a bug running SQL through the app can do.
They prove the trigger refuses, whatever a session variable says, to delete any audit row younger
than the retention period, to update any audit row, and to truncate an audit table; and that the
one sanctioned delete (`purge_audit`) still works and leaves a record of itself. What the trigger
cannot stop (the owner running DDL) is written down in SECURITY.md and docs/operations.md.
"""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from customers_ui.core.audit_retention import database_floor_days, database_floor_sync
from customers_ui.models import LookupEvent, SignInEvent

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
AUDIT_TABLES = ("customers_ui_lookupevent", "customers_ui_signinevent")


def events_at(moment) -> tuple[LookupEvent, SignInEvent]:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        lookup = LookupEvent.objects.create(username="ada", action="view", outcome="ok")
        sign_in = SignInEvent.objects.create(kind="sign_in", username="ada")
    return lookup, sign_in


def refused(sql: str, params: list | None = None, *, purge_flag: bool = False) -> None:
    """Run `sql` in a savepoint as the app's role; it must be refused by the audit guard."""
    with (
        pytest.raises(DatabaseError, match=r"append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Run the test's pending foreign-key checks now, so TRUNCATE meets only the audit guard.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if purge_flag:
            cursor.execute("SET LOCAL customers_ui.audit_purge = 'on'")
        cursor.execute(sql, params)


def counts() -> tuple[int, int]:
    return LookupEvent.objects.count(), SignInEvent.objects.count()


@on_postgresql
@pytest.mark.django_db
def test_the_attacker_is_the_apps_own_non_superuser_role_that_owns_its_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper, pg_get_userbyid(d.datdba) = current_user "
            "FROM pg_roles r, pg_database d "
            "WHERE r.rolname = current_user AND d.datname = current_database()"
        )
        superuser, owns_database = cursor.fetchone()
    assert (superuser, owns_database) == (False, True)


@on_postgresql
@pytest.mark.django_db
def test_the_purge_flag_does_not_let_anyone_delete_recent_rows() -> None:
    events_at(timezone.now() - timedelta(minutes=1))
    events_at(timezone.now() - timedelta(days=30))
    for table in AUDIT_TABLES:
        refused(f"DELETE FROM {table}", purge_flag=True)  # noqa: S608 - constant table names
        recent = f"DELETE FROM {table} WHERE created_at > now() - interval '1 hour'"  # noqa: S608
        refused(recent, purge_flag=True)
    assert counts() == (2, 2)


@on_postgresql
@pytest.mark.django_db
def test_truncate_is_refused() -> None:
    events_at(timezone.now())
    for table in AUDIT_TABLES:
        refused(f"TRUNCATE {table}")
        refused(f"TRUNCATE {table} CASCADE", purge_flag=True)
    assert counts() == (1, 1)


@on_postgresql
@pytest.mark.django_db
def test_every_update_is_refused_even_blanking_the_user(support_user) -> None:
    LookupEvent.objects.create(user=support_user, username="ada", action="view", outcome="ok")
    SignInEvent.objects.create(user=support_user, kind="sign_in", username="ada")
    for table in AUDIT_TABLES:
        refused(f"UPDATE {table} SET user_id = NULL", purge_flag=True)  # noqa: S608
        refused(f"UPDATE {table} SET username = 'someone-else'", purge_flag=True)  # noqa: S608
    assert LookupEvent.objects.filter(user=support_user).count() == 1
    assert SignInEvent.objects.filter(user=support_user, username="ada").count() == 1


@pytest.mark.django_db
def test_deleting_a_user_changes_no_audit_row(support_user) -> None:
    """The rows keep the user's id and name: deleting a user needs no UPDATE of the trail."""
    user_id = support_user.pk
    LookupEvent.objects.create(user=support_user, username="ada", action="view", outcome="ok")
    SignInEvent.objects.create(user=support_user, kind="sign_in", username="ada")
    support_user.delete()
    assert list(LookupEvent.objects.values_list("user_id", "username")) == [(user_id, "ada")]
    assert list(SignInEvent.objects.values_list("user_id", "username")) == [(user_id, "ada")]


@pytest.mark.django_db
def test_purge_audit_removes_old_rows_and_leaves_a_record_of_it(settings) -> None:
    from customers_ui.models import AuditPurge

    settings.AUDIT_RETENTION_DAYS = 400
    database_floor_sync()  # what `migrate` does with the setting (PostgreSQL; no-op elsewhere)
    now = timezone.now()
    oldest, _ = events_at(now - timedelta(days=700))
    newest, _ = events_at(now - timedelta(days=401))
    events_at(now - timedelta(days=399))
    events_at(now)
    out = io.StringIO()

    call_command("purge_audit", stdout=out)

    assert counts() == (2, 2)
    record = AuditPurge.objects.get()
    assert record.removed_count == 4
    assert record.oldest_removed == oldest.created_at
    assert record.newest_removed == newest.created_at
    assert record.removed == {"LookupEvent": 2, "SignInEvent": 2}
    assert record.older_than_days == 400
    assert record.ran_by  # who ran it: the operating-system user and host
    if connection.vendor == "postgresql":
        assert record.database_role == connection.settings_dict["USER"]
    assert "2 LookupEvent, 2 SignInEvent" in out.getvalue()


@pytest.mark.django_db
def test_purge_audit_refuses_to_delete_within_the_retention_period(settings) -> None:
    from customers_ui.models import AuditPurge

    settings.AUDIT_RETENTION_DAYS = 400
    database_floor_sync()
    events_at(timezone.now() - timedelta(days=100))
    with pytest.raises(CommandError, match="400 days"):
        call_command("purge_audit", "--older-than", "90", stdout=io.StringIO())
    assert counts() == (1, 1)
    assert not AuditPurge.objects.exists()


@on_postgresql
@pytest.mark.django_db
def test_the_purge_record_cannot_be_changed_or_removed(settings) -> None:
    from customers_ui.models import AuditPurge

    settings.AUDIT_RETENTION_DAYS = 400
    database_floor_sync()
    call_command("purge_audit", stdout=io.StringIO())
    assert AuditPurge.objects.count() == 1
    refused("UPDATE customers_ui_auditpurge SET removed_count = 0", purge_flag=True)
    refused("DELETE FROM customers_ui_auditpurge", purge_flag=True)
    refused("TRUNCATE customers_ui_auditpurge")
    assert AuditPurge.objects.count() == 1


@on_postgresql
@pytest.mark.django_db
def test_the_database_floor_follows_the_retention_setting_at_each_migrate(settings) -> None:
    """The floor is written by DDL (at `migrate`), so a statement through the app cannot lower
    it; a shorter AUDIT_RETENTION_DAYS takes effect at the next `migrate` (each release)."""
    migrated_with = settings.AUDIT_RETENTION_DAYS or None
    assert database_floor_days() == migrated_with  # what the test database's migrate set
    settings.AUDIT_RETENTION_DAYS = 90
    assert database_floor_days() == migrated_with  # a setting alone changes nothing...
    database_floor_sync()  # ...until `migrate` runs
    assert database_floor_days() == 90
    old, _ = events_at(timezone.now() - timedelta(days=100))
    events_at(timezone.now() - timedelta(days=80))
    call_command("purge_audit", stdout=io.StringIO())
    assert counts() == (1, 1)
    assert not LookupEvent.objects.filter(id=old.id).exists()


@pytest.mark.django_db
def test_a_retention_of_zero_keeps_everything_even_from_an_explicit_purge(settings) -> None:
    settings.AUDIT_RETENTION_DAYS = 0
    database_floor_sync()
    events_at(timezone.now() - timedelta(days=5000))
    with pytest.raises(CommandError, match="every audit event is kept"):
        call_command("purge_audit", "--older-than", "500", stdout=io.StringIO())
    if connection.vendor == "postgresql":
        for table in AUDIT_TABLES:
            refused(f"DELETE FROM {table}", purge_flag=True)  # noqa: S608
    assert counts() == (1, 1)
