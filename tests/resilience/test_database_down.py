"""The dashboard's own database not answering: a quick, static 503, never a 500, nothing unaudited
(dashboard/postgresql/, customers_ui/core/database_unavailable.py; docs/resilience.md).

The pool is exercised with real psycopg connections: to a port nothing listens on (unreachable)
and, on the PostgreSQL run, to the test database with every connection taken (busy). The whole
restart, with real processes, is tests/resilience/test_backing_service_faults.py.
"""

from __future__ import annotations

import time

import pytest
from django.db import OperationalError, connection
from django.test import Client
from psycopg_pool import PoolTimeout

from bench.harness import free_port
from customers_ui.lookup import services as lookup_services
from dashboard.postgresql.base import (
    FAILURE_MEMORY_SECONDS,
    STUCK_CONNECT_SECONDS,
    DatabaseReachability,
    DatabaseUnreachable,
    FailFastConnectionPool,
)
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.postgresql import DATABASE_URL, on_postgresql, with_database

POOL_TIMEOUT = 10.0
TEXT = "database is not answering; try again in a minute"


def test_an_unreachable_database_ends_the_wait_at_once_not_after_the_pool_timeout() -> None:
    pool = FailFastConnectionPool(
        f"host=127.0.0.1 port={free_port()} dbname=nowhere user=nobody connect_timeout=2",
        min_size=1,
        max_size=2,
        timeout=POOL_TIMEOUT,
        reconnect_timeout=2,
        open=False,
    )
    pool.open()
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseUnreachable):
            pool.getconn()
        # Measured ~0.3 s; the old pool waited the whole POOL_TIMEOUT.
        assert time.monotonic() - started < POOL_TIMEOUT / 4
    finally:
        pool.close()


@on_postgresql
@pytest.mark.django_db
def test_a_busy_pool_still_waits_its_timeout_and_says_busy() -> None:
    test_database = with_database(DATABASE_URL, connection.settings_dict["NAME"])
    conninfo = test_database.replace("postgres://", "postgresql://", 1)
    pool = FailFastConnectionPool(conninfo, min_size=1, max_size=1, timeout=1.0, open=False)
    pool.open(wait=True, timeout=10)
    try:
        held = pool.getconn()
        started = time.monotonic()
        with pytest.raises(PoolTimeout) as refused:
            pool.getconn()
        assert not isinstance(refused.value, DatabaseUnreachable)
        assert "busy" in str(refused.value)
        assert time.monotonic() - started >= 0.9  # it waited for a connection to come back
        pool.putconn(held)
        pool.putconn(pool.getconn())  # and one that comes back is handed out
    finally:
        pool.close()


@pytest.fixture
def quiet_client(staff_client) -> Client:
    """The staff client, answering with the page Django would send instead of raising."""
    staff_client.raise_request_exception = False
    return staff_client


def _unreachable(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_a_database_that_stops_answering_is_the_503_page(quiet_client, monkeypatch) -> None:
    with monkeypatch.context() as patch:  # undone before the test database is torn down
        patch.setattr(connection, "cursor", _unreachable)
        response = quiet_client.get("/", HTTP_X_REQUEST_ID="req-db-down-1")
    assert response.status_code == 503
    page = response.content.decode()
    assert TEXT in page
    assert "req-db-down-1" in page
    assert response["X-Request-ID"] == "req-db-down-1"
    assert response["Retry-After"] == "60"
    assert "Traceback" not in page and "OperationalError" not in page
    assert "127.0.0.1" not in page


def _busy(*args, **kwargs):
    """What Django raises when every pooled connection stayed taken for DATABASE_POOL_TIMEOUT."""
    try:
        raise PoolTimeout("no pooled connection free within 10.0 s (the pool is busy)")
    except PoolTimeout as busy:
        raise OperationalError(str(busy)) from busy


def test_a_busy_pool_is_a_busy_page_not_the_database_down_page(quiet_client, monkeypatch) -> None:
    """Busy is not down: the person is told to try again in a moment, and why."""
    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", _busy)
        response = quiet_client.get("/", HTTP_X_REQUEST_ID="req-db-busy-1")
    assert response.status_code == 503
    page = response.content.decode()
    assert "dashboard is busy" in page and TEXT not in page
    assert "req-db-busy-1" in page
    assert response["Retry-After"] == "5"
    assert "Traceback" not in page and "PoolTimeout" not in page


def _unreachable_after_a_slice(*args, **kwargs):
    """What Django raises when the pool gives up on an unreachable database: the last wait
    slice's own PoolTimeout rides along as the exception's context."""
    try:
        try:
            raise PoolTimeout("couldn't get a connection after 0.25 sec")
        except PoolTimeout:
            raise DatabaseUnreachable("the database is not answering") from None
    except PoolTimeout as unreachable:
        raise OperationalError(str(unreachable)) from unreachable


def test_an_unreachable_database_is_never_called_busy(quiet_client, monkeypatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", _unreachable_after_a_slice)
        response = quiet_client.get("/")
    assert response.status_code == 503
    assert TEXT in response.content.decode()
    assert response["Retry-After"] == "60"


def test_a_lookup_whose_audit_row_cannot_be_written_is_a_503_not_a_200(
    quiet_client, monkeypatch, caplog
) -> None:
    """Nothing lost: the customer came back from Thredfi, but no row, so no page."""
    monkeypatch.setattr(lookup_services, "_audit_insert", _unreachable)  # the audit INSERT
    response = quiet_client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")
    assert response.status_code == 503
    assert TEXT in response.content.decode()
    assert "Okafor" not in response.content.decode()  # nothing of the customer is shown
    # One warning line, not an error report with a traceback per request.
    records = [r for r in caplog.records if r.name == "customers_ui.core.database_unavailable"]
    assert [r.levelname for r in records] == ["WARNING"]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_other_errors_are_still_the_plain_500_page(quiet_client, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(lookup_services, "_audit_insert", broken)
    response = quiet_client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")
    assert response.status_code == 500
    assert TEXT not in response.content.decode()


def test_what_the_pool_learns_from_its_attempts() -> None:
    clock = {"now": 100.0}
    reachability = DatabaseReachability(clock=lambda: clock["now"])
    assert not reachability.unreachable()  # nothing known: wait as for a busy pool
    reachability.attempt_ended(reachability.attempt_started(), ok=False)
    assert reachability.unreachable()  # the latest attempt was refused
    reachability.attempt_ended(reachability.attempt_started(), ok=True)
    assert not reachability.unreachable()  # and then one got through
    stuck = reachability.attempt_started()
    clock["now"] += STUCK_CONNECT_SECONDS
    assert reachability.unreachable()  # connecting for too long: not answering
    reachability.attempt_ended(stuck, ok=True)
    assert not reachability.unreachable()
    reachability.attempt_ended(reachability.attempt_started(), ok=False)
    clock["now"] += FAILURE_MEMORY_SECONDS + 1
    assert not reachability.unreachable()  # an old failure says nothing about now


def test_a_query_bug_is_a_500_page_not_a_database_outage(quiet_client, monkeypatch) -> None:
    """SQLite reports a missing table (a forgotten migration, a typo) as an OperationalError,
    as it does a locked or unreadable file: only the latter are the database not answering. A
    bug must reach the error report, not hide behind a 503 that sends people to the database."""

    def missing_table(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM customers_ui_no_such_table")

    monkeypatch.setattr(lookup_services, "_audit_insert", missing_table)
    response = quiet_client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")
    assert response.status_code == 500
    assert TEXT not in response.content.decode()
