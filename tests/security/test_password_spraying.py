"""One address trying one password across many usernames is throttled too: a per-address limit,
higher than the per user + address one (which spraying never trips)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import CAST


def attempt(address: str, username: str, password: str):
    return Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )


@pytest.fixture(autouse=True)
def _limits(settings) -> None:
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURES_PER_ADDRESS = 8


def test_spraying_one_password_over_many_usernames_is_stopped(support_user) -> None:
    for n in range(8):  # one try per username: the per-user limit never trips
        get_user_model().objects.create_user(f"user{n}", password="another-long-password")
        assert attempt("192.0.2.10", f"user{n}", "Winter2026!").status_code == 200

    refused = attempt("192.0.2.10", "ada", CAST["ada"])

    assert refused.status_code == 429
    assert "_auth_user_id" not in refused.client.session
    # Another address is not affected.
    assert attempt("192.0.2.11", "ada", CAST["ada"]).status_code == 302


def test_a_few_typos_from_a_shared_office_do_not_lock_the_office(support_user, alice) -> None:
    for _ in range(3):
        attempt("192.0.2.20", "alice", "typo")
    for _ in range(3):
        attempt("192.0.2.20", "ada", "typo")
    assert attempt("192.0.2.20", "ada", CAST["ada"]).status_code == 302


def test_the_default_per_address_limit_is_above_the_per_user_one() -> None:
    import dashboard.settings as configured

    assert configured.LOGIN_FAILURES_PER_ADDRESS > configured.AXES_FAILURE_LIMIT
