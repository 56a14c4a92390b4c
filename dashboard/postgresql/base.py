"""Django's PostgreSQL backend with a pool that tells "busy" from "unreachable".

psycopg-pool makes a thread wait up to its `timeout` (DATABASE_POOL_TIMEOUT, 10 s) for a
connection, whatever the reason none is free. When the pool is busy that wait is right: a
connection is handed back within moments. When the database is down it is wrong: every request
waits the full 10 s, then fails with a 500. Here a thread waits in short slices, and between
slices asks whether the database is reachable: the most recent connection attempt failed (or one
has been stuck connecting for a while). If so, it stops waiting and raises `DatabaseUnreachable`
(an OperationalError), which the view edge turns into the 503 page (customers_ui/core/
database_unavailable.py). When the database is back the pool's next attempt succeeds, the flag
clears, and broken pooled connections are dropped by the pool's check as they are taken out.

A database can also go silent with its connections open (a failover, a partition, a stopped
server): the server's kernel still acknowledges, so no socket or keepalive timeout fires and a
pooled connection's query waits for ever. So a pooled connection's wait watches the time: after
SILENCE_SECONDS without an answer it asks the server, on a connection of its own, whether it
answers at all (an SSLRequest, which the server answers with one byte before any
authentication). No answer within PROBE_SECONDS: the query is abandoned (`DatabaseSilent`, the
connection closed) and the pool learns the database is unreachable, so other threads fail fast
too. An answer: the query is merely slow, and the wait goes on, asking again every
SILENCE_SECONDS.
"""

from __future__ import annotations

import itertools
import socket
import struct
import threading
from collections.abc import Callable
from time import monotonic
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from psycopg import Connection, OperationalError
from psycopg.abc import PQGen
from psycopg_pool import ConnectionPool, PoolTimeout

# How long a thread waits for the pool before it asks whether the database is reachable.
WAIT_SLICE_SECONDS = 0.25
# A connection attempt still running after this long means the database is not answering.
STUCK_CONNECT_SECONDS = 1.5
# A failed attempt older than this (and none since) says nothing about the database now.
FAILURE_MEMORY_SECONDS = 10.0
# A pooled connection's query unanswered this long makes the wait ask whether the server answers.
SILENCE_SECONDS = 0.75
# How long the server has to answer that question (a live one answers in milliseconds).
PROBE_SECONDS = 0.5
# While the pool already knows the database unreachable, a query gives up after this silence.
KNOWN_DOWN_SILENCE_SECONDS = 0.25
# The SSLRequest message: length 8, code 80877103. Any server answers "S" or "N".
_SSL_REQUEST = struct.pack("!ii", 8, 80877103)


class DatabaseSilent(OperationalError):
    """The server stopped answering a query, and did not answer a new connection either."""


def server_answers(host: str, port: int, *, timeout: float) -> bool:
    """Whether a PostgreSQL server answers at `host` (an address, or a socket directory) and
    `port` within `timeout` seconds, without authenticating."""
    try:
        if host.startswith("/"):
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            probe.settimeout(timeout)
            probe.connect(f"{host}/.s.PGSQL.{port}")
        else:
            probe = socket.create_connection((host, port), timeout=timeout)
        with probe:
            probe.sendall(_SSL_REQUEST)
            return probe.recv(1) in (b"S", b"N")
    except OSError:
        return False


class DatabaseUnreachable(PoolTimeout):
    """No pooled connection, and the database refused or ignored the latest attempt to make one."""


class DatabaseReachability:
    """What this process's connection attempts say about the database, without asking it again."""

    def __init__(self, clock: Callable[[], float] = monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._tickets = itertools.count()
        self._connecting: dict[int, float] = {}
        self._last_success: float | None = None
        self._last_failure: float | None = None

    def attempt_started(self) -> int:
        with self._lock:
            ticket = next(self._tickets)
            self._connecting[ticket] = self.clock()
            return ticket

    def attempt_ended(self, ticket: int, *, ok: bool) -> None:
        with self._lock:
            self._connecting.pop(ticket, None)
            if ok:
                self._last_success = self.clock()
            else:
                self._last_failure = self.clock()

    def unreachable(self) -> bool:
        now = self.clock()
        with self._lock:
            if any(now - started >= STUCK_CONNECT_SECONDS for started in self._connecting.values()):
                return True
            failure, success = self._last_failure, self._last_success
        if failure is None or now - failure > FAILURE_MEMORY_SECONDS:
            return False
        return success is None or failure > success

    def failed_now(self) -> None:
        """Something other than a connection attempt showed the database unreachable."""
        self.attempt_ended(self.attempt_started(), ok=False)


class TrackedConnection(Connection):
    """A psycopg connection whose opening is reported to its pool's `reachability`, and whose
    waits for the server give up when the server has gone silent (module docstring)."""

    reachability: DatabaseReachability

    def wait(self, gen: PQGen[Any], interval: float = 0.1, timeout: float | None = None) -> Any:
        try:
            return super().wait(self._watched(gen), interval, timeout)
        except DatabaseSilent:
            self.close()  # mid-query: nothing can use this connection again
            raise

    def _watched(self, gen: PQGen[Any]) -> PQGen[Any]:
        """`gen`, with the server's silence checked each time the wait hands it control (at
        least every `interval` seconds)."""
        started = asked = monotonic()
        try:
            state = next(gen)
            while True:
                ready = yield state
                if not ready and monotonic() - asked >= self._patience():
                    self._ask_server(monotonic() - started)
                    asked = monotonic()
                state = gen.send(ready)
        except StopIteration as end:
            return end.value

    def _patience(self) -> float:
        known_down = self.reachability.unreachable()
        return KNOWN_DOWN_SILENCE_SECONDS if known_down else SILENCE_SECONDS

    def _ask_server(self, waited: float) -> None:
        if not self.reachability.unreachable():
            info = self.info
            if server_answers(info.hostaddr or info.host, info.port, timeout=PROBE_SECONDS):
                return  # a slow query on a live server
            self.reachability.failed_now()
        raise DatabaseSilent(
            f"the database is not answering: no answer to a query for {waited:.1f} s, "
            "and none to a new connection"
        )

    @classmethod
    def connect(cls, conninfo: str = "", **kwargs: Any) -> TrackedConnection:  # type: ignore[override]
        ticket = cls.reachability.attempt_started()
        try:
            connection = super().connect(conninfo, **kwargs)
        except BaseException:
            cls.reachability.attempt_ended(ticket, ok=False)
            raise
        cls.reachability.attempt_ended(ticket, ok=True)
        return connection


class FailFastConnectionPool(ConnectionPool):
    """A pool whose wait ends early (`DatabaseUnreachable`) once the database is unreachable."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.reachability = DatabaseReachability()
        # A connection class of this pool's own, so what it learns stays with this pool.
        kwargs["connection_class"] = type(
            "TrackedConnection", (TrackedConnection,), {"reachability": self.reachability}
        )
        super().__init__(*args, **kwargs)

    def getconn(self, timeout: float | None = None) -> Any:
        budget = self.timeout if timeout is None else timeout
        deadline = monotonic() + budget
        while True:
            remaining = deadline - monotonic()
            try:
                return super().getconn(timeout=max(0.01, min(WAIT_SLICE_SECONDS, remaining)))
            except PoolTimeout:
                if self.reachability.unreachable():
                    raise DatabaseUnreachable(
                        "the database is not answering: the latest connection attempt failed"
                    ) from None
                if monotonic() >= deadline:
                    raise PoolTimeout(
                        f"no pooled connection free within {budget:.1f} s (the pool is busy)"
                    ) from None


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    """Django's PostgreSQL wrapper; only the pool differs (Django's own `pool`, another class)."""

    @property
    def pool(self) -> ConnectionPool | None:
        pool_options = self.settings_dict["OPTIONS"].get("pool")
        if not pool_options or self.alias == NO_DB_ALIAS:
            return super().pool
        if self.alias not in self._connection_pools:
            if self.settings_dict.get("CONN_MAX_AGE", 0) != 0:
                raise ImproperlyConfigured("Pooling doesn't support persistent connections.")
            connect_kwargs = self.get_connection_params()
            connect_kwargs["autocommit"] = True
            enable_checks = self.settings_dict["CONN_HEALTH_CHECKS"]
            pool = FailFastConnectionPool(
                kwargs=connect_kwargs,
                open=False,
                configure=self._configure_connection,
                check=ConnectionPool.check_connection if enable_checks else None,
                **({} if pool_options is True else pool_options),
            )
            self._connection_pools.setdefault(self.alias, pool)
        return self._connection_pools[self.alias]
