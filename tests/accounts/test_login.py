"""Every page needs a login except the login page, /healthz and static files."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

BUSINESS = uuid.UUID("3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a01")
CUSTOMER = uuid.UUID("5b9e2d4c-8a1f-4e3b-9c7d-6f0a2b4c8e11")
DOCUMENT = uuid.UUID("11111111-2222-4333-8444-555555555555")

PROTECTED_URLS = [
    "/",
    "/search/?q=ada",
    "/lookup/?ref=x",
    f"/customers/{BUSINESS}/",
    f"/customers/{BUSINESS}/{CUSTOMER}/",
    f"/customers/{BUSINESS}/{CUSTOMER}/documents/{DOCUMENT}/",
    "/credentials/",
    "/credentials/new/",
    "/credentials/1/edit/",
    "/credentials/1/key/",
    "/credentials/1/delete/",
    "/accounts/password/",
]


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("sam", password="a-long-test-password-1")


@pytest.mark.django_db
@pytest.mark.parametrize("url", PROTECTED_URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_login_page_is_open_and_has_standard_fields(client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html


@pytest.mark.django_db
def test_admin_login_is_reachable_but_admin_is_not(client) -> None:
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_there_is_no_public_sign_up(client) -> None:
    for url in ("/accounts/signup/", "/accounts/register/", "/accounts/password_reset/"):
        assert client.get(url).status_code in {302, 404}
    assert get_user_model().objects.count() == 0


def test_log_in_and_out(client, user) -> None:
    response = client.post(
        "/accounts/login/", {"username": "sam", "password": "a-long-test-password-1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("customers_ui:home")
    session_key = client.session.session_key

    home = client.get("/")
    assert home.status_code in {200, 302}  # 302 to "add a credential" for a user without one

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    # The old session is gone server-side, not just forgotten by this browser.
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()


def test_wrong_password_is_refused_with_a_clear_message(client, user) -> None:
    response = client.post("/accounts/login/", {"username": "sam", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logout_needs_post(client, user) -> None:
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405


def test_header_shows_the_user_and_a_logout_button(client, user) -> None:
    client.force_login(user)
    response = client.get("/accounts/password/")
    html = response.content.decode()
    assert "sam" in html
    assert 'action="/accounts/logout/"' in html


def test_session_expires_after_the_idle_limit(client, user, settings) -> None:
    client.force_login(user)
    assert client.session.get_expiry_age() <= settings.SESSION_IDLE_SECONDS
    assert settings.SESSION_IDLE_SECONDS == 12 * 60 * 60
