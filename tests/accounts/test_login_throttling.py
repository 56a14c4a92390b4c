"""django-axes locks a username + IP pair after repeated failures, and only that pair."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def sam(db):
    return get_user_model().objects.create_user("sam", password=PASSWORD)


def attempt(ip: str, username: str, password: str):
    return Client(REMOTE_ADDR=ip).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def test_lockout_after_the_failure_limit_for_that_user_and_ip(sam, settings) -> None:
    get_user_model().objects.create_user("kim", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt("10.0.0.1", "sam", "wrong").status_code == 200
    assert attempt("10.0.0.1", "sam", "wrong").status_code == 429  # the limit-th failure locks
    locked = attempt("10.0.0.1", "sam", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    # Not the whole office: the same user elsewhere, and other users here, still get in.
    assert attempt("10.0.0.2", "sam", PASSWORD).status_code == 302
    assert attempt("10.0.0.1", "kim", PASSWORD).status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(sam, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("10.0.0.1", "sam", "wrong")
    assert attempt("10.0.0.1", "sam", PASSWORD).status_code == 302


def test_lockouts_live_in_the_shared_cache(settings) -> None:
    assert settings.AXES_HANDLER == "axes.handlers.cache.AxesCacheHandler"
    assert settings.CACHES["default"]["BACKEND"] in {
        "django.core.cache.backends.db.DatabaseCache",
        "customers_ui.core.fail_soft_cache.FailSoftRedisCache",
    }
