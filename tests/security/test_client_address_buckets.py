"""L1 (issue 20): an X-Forwarded-For entry that does not parse, or TRUSTED_PROXY_COUNT=0 behind
a router, must never put every client in the router's bucket, where 20 failures from anyone
would lock out everyone. `host:port` and bracketed IPv6 parse; garbage is a bucket of its own.
IPv6 clients count per /64 (one customer's LAN), so rotating addresses inside it buys nothing.
"""

from __future__ import annotations

import pytest
from django.test import Client

from customers_ui.core.client_address import client_bucket, client_ip
from tests.factories import CAST

ROUTER = "10.1.2.3"


@pytest.mark.parametrize(
    ("forwarded", "address"),
    [
        ("198.51.100.7:4711", "198.51.100.7"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("[2001:db8::7]", "2001:db8::7"),
        ("203.0.113.1, 198.51.100.7:80", "198.51.100.7"),
        (" 198.51.100.7 ", "198.51.100.7"),
    ],
)
def test_host_port_and_bracketed_ipv6_entries_parse(rf, settings, forwarded, address) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR=ROUTER, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == address


@pytest.mark.parametrize("garbage", ["not-an-address", "unknown", "198.51.100.7:port", "_hidden"])
def test_an_unparseable_entry_is_its_own_bucket_never_the_routers(rf, settings, garbage) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR=ROUTER, HTTP_X_FORWARDED_FOR=f"203.0.113.1, {garbage}")
    other = rf.get("/", REMOTE_ADDR=ROUTER, HTTP_X_FORWARDED_FOR="198.51.100.9")

    assert client_ip(request) == ""  # nothing trustworthy to record in the audit trail
    assert client_bucket(request) != client_bucket(other)
    assert ROUTER not in client_bucket(request)


def test_no_trusted_proxy_but_a_router_in_front_keys_on_what_the_router_appended(
    rf, settings
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    one = rf.get("/", REMOTE_ADDR=ROUTER, HTTP_X_FORWARDED_FOR="198.51.100.7")
    two = rf.get("/", REMOTE_ADDR=ROUTER, HTTP_X_FORWARDED_FOR="198.51.100.8")
    direct = rf.get("/", REMOTE_ADDR="198.51.100.7")

    assert client_bucket(one) != client_bucket(two)
    assert client_bucket(direct) == "198.51.100.7"
    assert client_ip(one) == ROUTER  # the audit trail records only what it can vouch for


def test_a_client_reaching_the_dashboard_directly_cannot_pick_its_bucket(rf, settings) -> None:
    """No proxy in front (a public REMOTE_ADDR): X-Forwarded-For is the client's own text."""
    settings.TRUSTED_PROXY_COUNT = 0
    buckets = {
        client_bucket(rf.get("/", REMOTE_ADDR="198.51.100.50", HTTP_X_FORWARDED_FOR=forwarded))
        for forwarded in ("1.2.3.4", "5.6.7.8", "garbage", "")
    }

    assert buckets == {"198.51.100.50"}


def test_a_direct_client_stays_locked_out_whatever_it_forwards(support_user, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    direct = {"REMOTE_ADDR": "198.51.100.50"}
    for n in range(6):
        Client(**direct, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(
            "/accounts/login/", {"username": "ada", "password": "wrong-password"}
        )

    response = Client(**direct, HTTP_X_FORWARDED_FOR="192.0.2.200").post(
        "/accounts/login/", {"username": "ada", "password": CAST["ada"]}
    )

    assert response.status_code == 429


def test_ipv6_addresses_share_a_bucket_per_64(rf, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    a = rf.get("/", REMOTE_ADDR=ROUTER, HTTP_X_FORWARDED_FOR="2001:db8:1:2::a")
    b = rf.get("/", REMOTE_ADDR=ROUTER, HTTP_X_FORWARDED_FOR="2001:db8:1:2:ffff::b")
    c = rf.get("/", REMOTE_ADDR=ROUTER, HTTP_X_FORWARDED_FOR="2001:db8:1:3::a")

    assert client_bucket(a) == client_bucket(b) == "2001:db8:1:2::/64"
    assert client_bucket(c) != client_bucket(a)
    assert client_ip(a) == "2001:db8:1:2::a"  # the audit trail keeps the full address


def _attempt(forwarded: str, password: str, username: str = "ada"):
    client = Client(REMOTE_ADDR=ROUTER, HTTP_X_FORWARDED_FOR=forwarded)
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.parametrize(
    ("trusted", "attacker", "colleague"),
    [
        (0, "198.51.100.66", "198.51.100.20"),  # a router in front, TRUSTED_PROXY_COUNT unset
        (1, "198.51.100.66:5123", "198.51.100.20:6000"),  # a router that appends the port
        (1, "garbage", "198.51.100.20:6000"),
    ],
)
def test_an_attacker_cannot_lock_out_everyone_behind_the_router(
    support_user, settings, trusted, attacker, colleague
) -> None:
    settings.TRUSTED_PROXY_COUNT = trusted
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    for _ in range(10):
        _attempt(attacker, "wrong-password", username="nobody")

    response = _attempt(colleague, CAST["ada"])

    assert response.status_code == 302
