"""The audit trail is append-only, in the application and (on PostgreSQL) in the database, with
one sanctioned delete (retention), and it records where each lookup came from."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from customers_ui.models import LookupEvent
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def an_event(**fields) -> LookupEvent:
    defaults = {"username": "ada", "action": "view", "outcome": "ok"}
    return LookupEvent.objects.create(**{**defaults, **fields})


@pytest.mark.django_db
def test_bulk_updates_and_deletes_are_refused_in_the_application() -> None:
    an_event()
    with pytest.raises(PermissionError):
        LookupEvent.objects.update(outcome="forged")
    with pytest.raises(PermissionError):
        LookupEvent.objects.all().delete()
    assert LookupEvent.objects.get().outcome == "ok"


@on_postgresql
@pytest.mark.django_db
def test_the_database_refuses_updates_and_deletes_sent_as_the_app() -> None:
    event = an_event()
    for sql in (
        "UPDATE customers_ui_lookupevent SET outcome = 'forged' WHERE id = %s",
        "DELETE FROM customers_ui_lookupevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.id])
    assert LookupEvent.objects.get().outcome == "ok"


@pytest.mark.django_db
def test_deleting_a_user_keeps_their_events(support_user) -> None:
    user_id = support_user.pk
    an_event(user=support_user)
    support_user.delete()
    event = LookupEvent.objects.get()
    assert (event.user_id, event.username) == (user_id, "ada")  # the row is never changed


@pytest.mark.django_db
def test_purge_audit_deletes_only_what_is_older_than_the_retention(settings) -> None:
    from customers_ui.core.audit_retention import database_floor_sync

    settings.AUDIT_RETENTION_DAYS = 90
    database_floor_sync()  # what `migrate` does with this setting (PostgreSQL; no-op elsewhere)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(100)):
        old = an_event()
    recent = an_event()
    assert old.created_at < recent.created_at - timedelta(days=99)
    out = io.StringIO()

    call_command("purge_audit", "--older-than", "90", stdout=out)

    assert list(LookupEvent.objects.values_list("id", flat=True)) == [recent.id]
    assert "1 LookupEvent" in out.getvalue()


@pytest.mark.django_db
def test_purge_audit_refuses_nonsense() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("purge_audit", "--older-than", "0", stdout=io.StringIO())


def test_each_lookup_records_where_it_came_from(staff_client, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    response = staff_client.get(
        DETAIL,
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7",
        HTTP_X_REQUEST_ID="router-req-42",
    )
    assert response["X-Request-ID"] == "router-req-42"
    event = LookupEvent.objects.get()
    assert event.fetch_site == "cross-site"  # opened from a link on another site
    assert event.client_ip == "198.51.100.7"
    assert event.dashboard_request_id == "router-req-42"


@on_postgresql
@pytest.mark.django_db
def test_sign_in_events_are_append_only_in_the_database_too(support_user) -> None:
    from customers_ui.models import SignInEvent

    event = SignInEvent.objects.create(kind="sign_in", username="ada", user=support_user)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM customers_ui_signinevent WHERE id = %s", [event.id])
    assert SignInEvent.objects.filter(id=event.id).exists()
    with pytest.raises(PermissionError):
        SignInEvent.objects.all().delete()
