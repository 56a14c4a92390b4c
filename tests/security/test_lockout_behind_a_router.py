"""Behind the PaaS router, lockouts key on the address the router saw, never one the client wrote.

The router appends the address it was connected from to X-Forwarded-For, so an attacker can put
anything to the left of it: "spoofed, real". With TRUSTED_PROXY_COUNT=1 only "real" counts.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import CAST

ROUTER = "10.1.2.3"
ATTACKER = "198.51.100.7"
COLLEAGUE = "198.51.100.20"


def attempt(password: str, *, spoofed: str, real: str, username: str = "ada"):
    client = Client(REMOTE_ADDR=ROUTER, HTTP_X_FORWARDED_FOR=f"{spoofed}, {real}")
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture(autouse=True)
def _behind_one_router(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1


def test_spoofed_left_most_addresses_do_not_escape_the_lockout(support_user) -> None:
    for n in range(12):
        attempt("wrong-password", spoofed=f"203.0.113.{n}", real=ATTACKER)

    locked = attempt(CAST["ada"], spoofed="203.0.113.200", real=ATTACKER)

    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.client.session


def test_the_real_user_from_another_address_still_signs_in(support_user) -> None:
    for n in range(12):
        attempt("wrong-password", spoofed=f"203.0.113.{n}", real=ATTACKER)

    response = attempt(CAST["ada"], spoofed="203.0.113.99", real=COLLEAGUE)

    assert response.status_code == 302
    assert response.client.session["_auth_user_id"] == str(support_user.pk)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.1, 198.51.100.7", "10.1.2.3"),  # no proxy trusted: the socket's address
        (1, "203.0.113.1, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.1, 198.51.100.7, 10.0.0.9", "198.51.100.7"),  # CDN + router
        (2, "198.51.100.7", "10.1.2.3"),  # fewer hops than trusted proxies: not through them
        (1, "203.0.113.1, not-an-address", ""),  # unparseable: nothing to vouch for, not the router
    ],
)
def test_the_client_address_is_counted_from_the_right(rf, settings, count, forwarded, expected):
    from customers_ui.core.client_address import client_ip

    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=ROUTER, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
