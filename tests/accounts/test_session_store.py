"""The session store reads with one plain SELECT and answers as Django's database store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from customers_ui.accounts.session_store import SessionStore

pytestmark = pytest.mark.django_db


def _stored(data: dict[str, object]) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    return str(store.session_key)


def test_a_stored_session_loads_as_with_django(django_assert_num_queries) -> None:
    key = _stored({"a": 1, "b": "two"})
    with django_assert_num_queries(1):
        loaded = SessionStore(key).load()
    assert loaded == db.SessionStore(key).load() == {"a": 1, "b": "two"}


@pytest.mark.parametrize("key", ["", "x" * 40, None])
def test_an_unknown_key_loads_nothing_and_is_forgotten(key) -> None:
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_an_expired_session_loads_nothing_and_is_forgotten() -> None:
    key = _stored({"a": 1})
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {} == db.SessionStore(key).load()
    assert store.session_key is None


def test_a_deleted_session_loads_nothing() -> None:
    key = _stored({"a": 1})
    SessionStore(key).delete()
    assert SessionStore(key).load() == {}
