"""Pressing "Sign in with …": a POST with CSRF that sends the browser to the provider's
authorization endpoint with everything the code flow with PKCE needs."""

from __future__ import annotations

import base64
import hashlib

import pytest
import requests
from django.test import Client

from .conftest import PROVIDER_NAME, REDIRECT_URI, query_of

pytestmark = pytest.mark.django_db


def test_the_button_leads_to_the_authorization_endpoint_with_every_parameter(client, sso) -> None:
    discovery = requests.get(sso.provider.discovery_url, timeout=10).json()

    location = sso.start(client)

    assert location.split("?")[0] == discovery["authorization_endpoint"]
    params = query_of(location)
    assert params["response_type"] == "code"
    assert params["client_id"] == sso.client_id
    assert params["redirect_uri"] == REDIRECT_URI
    assert params["scope"].split() == ["openid", "email", "profile"]
    assert len(params["state"]) >= 20
    assert len(params["nonce"]) >= 20
    assert params["code_challenge_method"] == "S256"
    # The challenge is the S256 hash of the verifier this session keeps for the callback.
    stored = client.session[f"_state_oidc_{params['state']}"]["data"]
    digest = hashlib.sha256(stored["code_verifier"].encode()).digest()
    assert params["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert stored["nonce"] == params["nonce"]


def test_every_start_has_its_own_state_nonce_and_verifier(client, sso) -> None:
    first, second = query_of(sso.start(client)), query_of(sso.start(client))

    for name in ("state", "nonce", "code_challenge"):
        assert first[name] != second[name], name


def test_the_start_needs_a_post(client, sso) -> None:
    assert client.get("/accounts/sso/start/").status_code == 405


def test_the_start_needs_the_csrf_token(sso) -> None:
    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/accounts/sso/start/")

    assert response.status_code == 403


def test_the_button_works_with_the_csrf_token_of_the_login_page(sso) -> None:
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/accounts/login/")
    token = page.context["csrf_token"]

    response = browser.post("/accounts/sso/start/", {"csrfmiddlewaretoken": str(token)})

    assert response.status_code == 302
    assert response["Location"].startswith(sso.provider.issuer)


def test_without_single_sign_on_configured_there_is_no_start(client, settings) -> None:
    settings.OIDC_ISSUER = ""

    assert client.post("/accounts/sso/start/").status_code == 404


def test_an_unreachable_provider_is_a_clear_page(client, settings) -> None:
    settings.OIDC_ISSUER = "http://127.0.0.1:9/nobody-home"
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "id", "secret"
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.OIDC_TIMEOUT = 2.0

    response = client.post("/accounts/sso/start/")

    assert response.status_code == 502
    assert f"{PROVIDER_NAME} did not answer" in response.content.decode()
    assert "Back to the sign-in page" in response.content.decode()


def test_a_half_configured_provider_says_so(client, sso, settings) -> None:
    settings.OIDC_CLIENT_SECRET = ""

    response = client.post("/accounts/sso/start/")

    assert response.status_code == 503
    assert "not fully set up" in response.content.decode()


def test_a_discovery_document_naming_another_issuer_is_refused(client, sso, settings) -> None:
    # The same provider, reached under a name that is not the issuer its document states.
    settings.OIDC_ISSUER = sso.provider.issuer.replace("127.0.0.1", "localhost")

    response = client.post("/accounts/sso/start/")

    assert response.status_code == 403
    assert "could not verify" in response.content.decode()
