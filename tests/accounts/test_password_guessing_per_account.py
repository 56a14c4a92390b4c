"""M3 (issue 20): password guessing against one account from many addresses.

Each guess from a new address escaped both the per user + address lockout and the per-address
spraying limit: 60 wrong guesses went through, then the right password signed in. Now failures
for one account count across every address (LOGIN_FAILURES_PER_ACCOUNT per cool-off); past it,
password sign-in for that account is refused for the cool-off, with a page that says so, while
single sign-on for the same person still works. Every refusal is a sign-in event.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from customers_ui.models import SignInEvent

from .conftest import text

PASSWORD = "a-long-test-password-1"


def attempt(address: str, username: str, password: str):
    return Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )


@pytest.fixture
def carol(db):
    return get_user_model().objects.create_user("carol", password=PASSWORD)


def test_the_default_follows_asvs(settings) -> None:
    import dashboard.settings as configured

    assert configured.LOGIN_FAILURES_PER_ACCOUNT == 50
    assert configured.LOGIN_FAILURES_PER_ACCOUNT > configured.LOGIN_FAILURES_PER_ADDRESS


def test_sixty_guesses_from_sixty_addresses_then_the_right_password_is_refused(carol) -> None:
    for n in range(60):
        attempt(f"198.51.{n // 250}.{n % 250 + 1}", "carol", f"guess-{n}")

    refused = attempt("203.0.113.77", "carol", PASSWORD)

    assert refused.status_code == 429
    assert "_auth_user_id" not in refused.client.session
    assert "Password sign-in for this account is paused" in text(refused)
    refusal = SignInEvent.objects.filter(kind="sign_in_failed", username="carol").first()
    assert refusal is not None and "too many failed passwords for this account" in refusal.detail
    assert refusal.ip_address == "203.0.113.77"


def test_guesses_rotating_through_one_ipv6_64_are_one_address(carol, settings) -> None:
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    for n in range(8):
        attempt(f"2001:db8:5:6::{n + 1:x}", f"someone{n}", "Winter2026!")

    refused = attempt("2001:db8:5:6::ffff", "carol", PASSWORD)

    assert refused.status_code == 429
    assert SignInEvent.objects.filter(
        kind="sign_in_failed", username="carol", detail__contains="this address"
    ).exists()
    assert attempt("2001:db8:5:7::1", "carol", PASSWORD).status_code == 302


def test_other_accounts_are_not_affected(carol, settings) -> None:
    settings.LOGIN_FAILURES_PER_ACCOUNT = 10
    get_user_model().objects.create_user("dave", password=PASSWORD)
    for n in range(10):
        attempt(f"198.51.100.{n + 1}", "carol", "wrong")

    assert attempt("203.0.113.5", "dave", PASSWORD).status_code == 302
    assert attempt("203.0.113.5", "carol", PASSWORD).status_code == 429


def test_the_pause_ends_with_the_cool_off(carol, settings) -> None:
    from django.core.cache import cache

    from customers_ui.accounts import login_throttle

    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    for n in range(5):
        attempt(f"198.51.100.{n + 1}", "carol", "wrong")
    assert attempt("203.0.113.5", "carol", PASSWORD).status_code == 429

    cache.delete(login_throttle.account_key("carol"))  # what the cool-off's expiry does

    assert attempt("203.0.113.5", "carol", PASSWORD).status_code == 302


def test_sso_still_works_for_the_paused_account(db, client, sso, settings) -> None:
    settings.LOGIN_FAILURES_PER_ACCOUNT = 10
    person = sso.add_person()
    sso.sign_in(client, person)
    user = get_user_model().objects.get(sso_identities__subject=person.sub)
    user.set_password(PASSWORD)
    user.save()
    client.post("/accounts/logout/")
    for n in range(12):
        attempt(f"198.51.100.{n + 1}", user.username, f"guess-{n}")
    assert attempt("203.0.113.5", user.username, PASSWORD).status_code == 429

    response = sso.sign_in(client, person)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def _guesses_in_flight_together(count: int, username: str = "carol") -> list[int]:
    """`count` wrong guesses for one account from as many addresses, all in flight at once; the
    numbers of those whose password was checked.

    Each guess arrives while the passwords of those before it are still being checked, the way
    concurrent requests interleave (nested calls: deterministic, no threads; the real
    middleware, signal and cache)."""
    from django.contrib.auth.signals import user_login_failed
    from django.http import HttpResponse
    from django.test import RequestFactory

    from customers_ui.accounts.login_throttle import LoginThrottleMiddleware

    checked: list[int] = []

    def guess(number: int) -> None:
        if number == count:
            return
        request = RequestFactory().post(
            "/accounts/login/",
            {"username": username, "password": f"guess-{number}"},
            REMOTE_ADDR=f"198.51.100.{number + 1}",
        )
        LoginThrottleMiddleware(lambda request: check(request, number))(request)
        if number not in checked:  # refused at once: the burst goes on
            guess(number + 1)

    def check(request, number: int) -> HttpResponse:
        checked.append(number)
        guess(number + 1)  # arrives while this password is still being checked
        user_login_failed.send(__name__, credentials={"username": username}, request=request)
        return HttpResponse("wrong password", status=200)

    guess(0)
    return checked


def test_guesses_in_flight_together_cannot_pass_the_limit(carol, settings) -> None:
    """The limit held only between requests: a burst of guesses sent together all passed the
    check before any of them had failed, so each burst bought as many guesses as the servers have
    threads. Each attempt now counts when it starts (and is given back if it signs in)."""
    settings.LOGIN_FAILURES_PER_ACCOUNT = 4
    for n in range(3):
        attempt(f"203.0.113.{n + 1}", "carol", "wrong")

    checked = _guesses_in_flight_together(8)

    assert checked == [0]  # one failure was left before the limit, so one password is checked
    assert attempt("203.0.113.99", "carol", PASSWORD).status_code == 429
    refusals = SignInEvent.objects.filter(detail__contains="too many failed passwords for this")
    assert refusals.count() == 8  # the seven refused in flight, and the right password after


def test_a_sign_in_gives_its_attempt_back(carol, settings) -> None:
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for n in range(2):
        attempt(f"203.0.113.{n + 1}", "carol", "wrong")

    assert attempt("203.0.113.50", "carol", PASSWORD).status_code == 302
    assert attempt("203.0.113.51", "carol", "wrong").status_code == 200  # the third failure
    assert attempt("203.0.113.52", "carol", PASSWORD).status_code == 429
