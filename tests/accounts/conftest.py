"""Helpers for sign-in tests: single sign-on through the real test provider, and second factors.

Single sign-on runs Django's test client for the dashboard and a `requests` session as the
person's browser at the provider (tests/oidc_provider/rp.py): the dashboard's own HTTP calls to
the provider (discovery, keys, token) are real, only the browser hop back is handed over by hand.
"""

from __future__ import annotations

import html
import os
import re
import uuid
from base64 import b32decode, b32encode
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django_otp.oath import totp

from customers_ui.core.crypto import new_salt, recovery_code_hash
from customers_ui.models import AuthenticatorApp, RecoveryCode, RecoveryCodeSet
from tests.oidc_provider.rp import browser_sign_in

PROVIDER_NAME = "Test IdP"
PROVIDER_PASSWORD = "correct horse battery staple"
REDIRECT_URI = "http://testserver/accounts/sso/callback/"
PASSWORD = "a-long-test-password-1"
CALLBACK_PATH = "/accounts/sso/callback/"


def text(response) -> str:
    """The page as a person reads it: HTML entities (&#x27; for an apostrophe) decoded."""
    return html.unescape(response.content.decode())


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@dataclass
class Person:
    """Someone with an account at the identity provider."""

    username: str
    email: str
    sub: str
    claims: dict[str, Any] = field(default_factory=dict)


@dataclass
class SSO:
    """The test provider with a client registered for this test, and the dashboard set to it."""

    provider: Any
    client_id: str
    client_secret: str

    def add_person(
        self,
        *,
        email: str | None = None,
        sub: str | None = None,
        amr: tuple[str, ...] = ("pwd",),
        email_verified: bool = True,
        is_active: bool = True,
        name: str = "Grace Hopper",
    ) -> Person:
        suffix = uuid.uuid4().hex[:10]
        username = f"person-{suffix}"
        email = email or f"grace.{suffix}@example.test"
        claims = self.provider.add_user(
            username,
            PROVIDER_PASSWORD,
            email=email,
            sub=sub or f"subject-{suffix}",
            name=name,
            amr=amr,
            email_verified=email_verified,
            is_active=is_active,
        )
        return Person(username=username, email=email, sub=claims["sub"], claims=claims)

    def start(self, client: Client, **data: str) -> str:
        """Press the button: the authorize URL the dashboard redirects to."""
        response = client.post("/accounts/sso/start/", data)
        assert response.status_code == 302, response.content.decode()[:500]
        return response["Location"]

    def at_provider(self, authorize_url: str, person: Person) -> str:
        """The person signs in at the provider; the callback path + query it sends them back to."""
        with requests.Session() as browser:
            response = browser_sign_in(browser, authorize_url, person.username, PROVIDER_PASSWORD)
        location = response.headers.get("Location", "")
        assert response.is_redirect and location.startswith(REDIRECT_URI), (
            response.status_code,
            location,
        )
        return CALLBACK_PATH + "?" + urlsplit(location).query

    def sign_in(self, client: Client, person: Person, **start_data: str):
        """The whole flow: button, provider, callback. Returns the callback's response."""
        callback = self.at_provider(self.start(client, **start_data), person)
        return client.get(callback)


@pytest.fixture
def sso(oidc_provider, settings) -> SSO:
    """Single sign-on configured against the real provider, with a client unique to this test."""
    suffix = uuid.uuid4().hex[:10]
    client_id, client_secret = f"dashboard-{suffix}", f"secret-{uuid.uuid4().hex}"
    oidc_provider.add_client(client_id, client_secret, [REDIRECT_URI])
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_CLIENT_ID = client_id
    settings.OIDC_CLIENT_SECRET = client_secret
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = ["example.test"]
    return SSO(oidc_provider, client_id, client_secret)


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


# Second factors -----------------------------------------------------------------------------


def code_for(key: bytes, *, steps_ahead: int = 0) -> str:
    """The 6-digit TOTP code an authenticator app shows for this key (now, or a step later:
    django-otp never accepts the same time step twice, so a second code must be a later one)."""
    return f"{totp(key, step=30, t0=0, digits=6, drift=steps_ahead):06d}"


def key_from_page(html: str) -> bytes:
    """The secret, read from the enrolment page's "type this key instead" text."""
    match = re.search(r'<code class="secret-key"[^>]*>([A-Z2-7 ]+)</code>', html)
    assert match, "the enrolment page shows no setup key"
    return b32decode(match.group(1).replace(" ", ""))


def codes_from_page(html: str) -> list[str]:
    codes = re.findall(r"<li><code>([a-z2-7]{4}(?: [a-z2-7]{4})+)</code></li>", html)
    assert codes, "no recovery codes on the page"
    return codes


def enrol(user: AbstractBaseUser, *, codes: int = 3) -> tuple[AuthenticatorApp, list[str]]:
    """Give `user` a confirmed authenticator and recovery codes, as the enrolment page would."""
    device = AuthenticatorApp.objects.create(
        user=user,
        name="Authenticator app",
        confirmed=True,
        key_encrypted=AuthenticatorApp.seal(os.urandom(20)),
    )
    code_set = RecoveryCodeSet.objects.create(
        user=user, name="Recovery codes", confirmed=True, salt=new_salt()
    )
    tokens = [b32encode(os.urandom(8)).decode().lower()[:12] for _ in range(codes)]
    for token in tokens:
        RecoveryCode.objects.create(
            code_set=code_set, code_hash=recovery_code_hash(token, salt=code_set.salt)
        )
    return device, tokens


@pytest.fixture
def sam(db) -> AbstractBaseUser:
    return get_user_model().objects.create_user("sam", email="sam@example.test", password=PASSWORD)


def sign_in_verified(client: Client, user: AbstractBaseUser, device: AuthenticatorApp) -> None:
    """A session that signed in and verified `device` (as the verify page would leave it)."""
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def password_sign_in(client: Client, username: str = "sam", password: str = PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)
