"""The login page: "Sign in with {provider}" above the password form; with PASSWORD_LOGIN=False
only the button, and passwords are refused."""

from __future__ import annotations

import pytest

from customers_ui.models import SignInEvent

from .conftest import PROVIDER_NAME, password_sign_in, signed_in_user_id

pytestmark = pytest.mark.django_db


def test_the_sso_button_is_above_the_password_form(client, sso) -> None:
    html = client.get("/accounts/login/").content.decode()

    button = html.index(f"Sign in with {PROVIDER_NAME}")
    assert button < html.index('name="username"') < html.index('name="password"')
    assert 'action="/accounts/sso/start/"' in html
    form = html[html.index('action="/accounts/sso/start/"') :][:400]
    assert 'method="post"' in html[: html.index('action="/accounts/sso/start/"')][-60:]
    assert 'name="csrfmiddlewaretoken"' in form
    assert "or use your password" in html


def test_the_button_carries_the_page_asked_for(client, sso) -> None:
    html = client.get("/accounts/login/?next=/credentials/").content.decode()

    form = html[html.index('action="/accounts/sso/start/"') :][:500]
    assert 'name="next" value="/credentials/"' in form


def test_without_sso_it_is_the_password_form_alone(client) -> None:
    html = client.get("/accounts/login/").content.decode()

    assert "Sign in with" not in html
    assert 'name="username"' in html and 'name="password"' in html


def test_the_provider_name_is_a_setting(client, sso, settings) -> None:
    settings.OIDC_PROVIDER_NAME = "Okta"

    assert "Sign in with Okta" in client.get("/accounts/login/").content.decode()


def test_with_password_login_off_only_the_button_is_shown(client, sso, settings) -> None:
    settings.PASSWORD_LOGIN = False

    html = client.get("/accounts/login/").content.decode()

    assert f"Sign in with {PROVIDER_NAME}" in html
    assert 'name="password"' not in html
    assert 'name="username"' not in html


def test_with_password_login_off_a_right_password_is_refused(client, sso, sam, settings) -> None:
    settings.PASSWORD_LOGIN = False

    response = password_sign_in(client)

    assert response.status_code == 403
    assert "Password sign-in is turned off here" in response.content.decode()
    assert f"Sign in with {PROVIDER_NAME}" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert SignInEvent.objects.filter(kind="sign_in_failed", username="sam").exists()


def test_with_password_login_off_the_admin_login_refuses_passwords_too(
    client, sso, sam, settings
) -> None:
    sam.is_staff = True
    sam.save()
    settings.PASSWORD_LOGIN = False

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "sam", "password": "a-long-test-password-1"}
    )

    assert response.status_code == 200  # the admin's own form, re-shown with its error
    assert signed_in_user_id(client) is None


def test_password_sign_in_still_works_by_default(client, sso, sam) -> None:
    response = password_sign_in(client)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(sam.pk)
