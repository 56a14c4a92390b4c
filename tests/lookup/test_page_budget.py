"""What one warm customer page costs, in counts (issue #23): database queries, Thredfi calls,
shared-cache round trips and middleware run. Counts, not timings: each number here is a design
decision, and a change that adds one must say why by changing this file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
CACHE_CALLS = ("get", "set", "add", "delete", "get_many", "set_many", "incr", "touch", "has_key")


class Counts:
    def __init__(self) -> None:
        self.cache_round_trips = 0
        self.middleware: list[str] = []


@contextmanager
def counting(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counts]:
    """Count shared-cache calls (the outermost call of each: one round trip) and the middleware
    classes whose code runs."""
    counts = Counts()
    backend = type(caches["default"])
    depth = {"n": 0}
    for name in CACHE_CALLS:
        original = getattr(backend, name)

        def counted(self, *args, _original=original, **kwargs):
            depth["n"] += 1
            try:
                if depth["n"] == 1:
                    counts.cache_round_trips += 1
                return _original(self, *args, **kwargs)
            finally:
                depth["n"] -= 1

        monkeypatch.setattr(backend, name, counted)
    classes = {
        getattr(import_module(path.rsplit(".", 1)[0]), path.rsplit(".", 1)[1]): path
        for path in settings.MIDDLEWARE
    }
    entry_points = {"__call__", "process_request", "process_view", "process_response"}

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_name in entry_points:
            owner = frame.f_locals.get("self")
            path = classes.get(type(owner))
            if path is not None and path not in counts.middleware:
                counts.middleware.append(path)

    sys.setprofile(profile)
    try:
        yield counts
    finally:
        sys.setprofile(None)


def test_a_warm_customer_page_costs(staff_client, thredfi_sandbox, monkeypatch) -> None:
    staff_client.get(DETAIL)  # warms tokens and business metadata
    staff_client.get(DETAIL)
    before = thredfi_sandbox.stats()
    with CaptureQueriesContext(connection) as queries, counting(monkeypatch) as counts:
        response = staff_client.get(DETAIL)
    assert response.status_code == 200
    after = thredfi_sandbox.stats()
    assert after["total_requests"] - before["total_requests"] == 1  # the customer, nothing else

    # The session, the user, the active credential, the audit row. Sessions live in the database
    # (issue #19: they must survive a shared-cache outage), with Redis as without it.
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 4, sql
    assert sum("INSERT" in q for q in sql) == 1, sql  # the audit row; no session write
    # No shared-cache round trip: tokens and business metadata come from the process's own copy,
    # and the breaker's shared state is re-read at most once a second.
    assert counts.cache_round_trips == 0
    assert len(counts.middleware) == len(settings.MIDDLEWARE)
    assert len(settings.MIDDLEWARE) <= 19  # 21 before issue #23


@pytest.mark.parametrize("path", ["/healthz", "/static/css/app.css"])
def test_probes_and_static_files_never_touch_session_or_user(
    staff_client, monkeypatch, path
) -> None:
    """Even with a signed-in browser's cookie, the platform's probe and static files are
    answered without loading a session or a user."""
    from django.contrib import auth
    from django.contrib.sessions.backends.base import SessionBase

    staff_client.get(DETAIL)
    touched: list[str] = []
    real_session = SessionBase._get_session
    real_get_user = auth.get_user

    def session_loaded(self, *args, **kwargs):
        touched.append("session")
        return real_session(self, *args, **kwargs)

    def user_loaded(request):
        touched.append("user")
        return real_get_user(request)

    monkeypatch.setattr(SessionBase, "_session", property(session_loaded))
    monkeypatch.setattr(auth, "get_user", user_loaded)
    response = staff_client.get(path)
    assert response.status_code == 200
    assert touched == []
