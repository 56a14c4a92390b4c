"""Break-glass: with PASSWORD_LOGIN=False an operator lets one user sign in once with a password
(`manage.py allow_password_login USERNAME`), e.g. when the identity provider is down."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from customers_ui.models import PasswordSignInGrant, SignInEvent

from .conftest import PROVIDER_NAME, enrol, password_sign_in, signed_in_user_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def password_login_off(sso, settings) -> None:
    settings.PASSWORD_LOGIN = False


def allow(username: str, *args: str) -> str:
    out = StringIO()
    call_command("allow_password_login", username, *args, stdout=out)
    return out.getvalue()


def test_the_command_allows_one_password_sign_in(client, sam) -> None:
    said = allow("sam")

    assert "sam may sign in once with their password until" in said
    assert "/accounts/login/?method=password" in said
    assert password_sign_in(client).status_code == 302
    assert signed_in_user_id(client) == str(sam.pk)
    event = SignInEvent.objects.get(kind="password_login_allowed")
    assert (event.user, event.method) == (sam, "command")
    assert event.actor.startswith("shell")


def test_the_grant_is_used_up_by_the_sign_in(client, sam) -> None:
    allow("sam")
    password_sign_in(client)
    client.post("/accounts/logout/")

    response = password_sign_in(client)

    assert response.status_code == 403
    assert signed_in_user_id(client) is None
    assert not PasswordSignInGrant.objects.exists()


def test_the_grant_expires(client, sam) -> None:
    allow("sam", "--minutes", "5")
    PasswordSignInGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert password_sign_in(client).status_code == 403


def test_a_wrong_password_does_not_use_the_grant(client, sam) -> None:
    allow("sam")

    assert password_sign_in(client, password="wrong").status_code == 403
    assert PasswordSignInGrant.objects.filter(user=sam).exists()


def test_the_grant_is_for_that_user_only(client, sam, django_user_model) -> None:
    django_user_model.objects.create_user("kim", password="a-long-test-password-1")
    allow("sam")

    assert password_sign_in(client, username="kim").status_code == 403


def test_the_form_is_reachable_for_break_glass(client, sam) -> None:
    html = client.get("/accounts/login/?method=password").content.decode()

    assert 'name="password"' in html
    assert f"Sign in with {PROVIDER_NAME}" in html
    assert "Administrator sign-in (break-glass)" in html


def test_the_second_factor_is_still_asked_for(client, sam) -> None:
    enrol(sam)
    allow("sam")
    password_sign_in(client)

    assert client.get("/admin/")["Location"].startswith("/accounts/mfa/verify/")


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        ("missing", "No user 'ghost'"),
        ("inactive", "is deactivated"),
        ("sso-only", "has no password"),
    ],
)
def test_the_command_refuses_what_cannot_work(sam, django_user_model, setup, error) -> None:
    name = "ghost"
    if setup == "inactive":
        django_user_model.objects.create_user(name, password="x-long-password-1", is_active=False)
    elif setup == "sso-only":
        django_user_model.objects.create_user(name)

    with pytest.raises(CommandError, match=error):
        allow(name)
    assert not PasswordSignInGrant.objects.exists()


def test_minutes_are_bounded(sam) -> None:
    with pytest.raises(CommandError, match="minutes must be between"):
        allow("sam", "--minutes", "100000")
