"""The test OIDC provider on its own, over real HTTP: it must be a correct, strict provider.

Dashboard SSO tests will trust it to tell a good ID token from a bad one, so these prove that
good tokens verify against the published keys and that each misbehaviour spoils exactly the claim
it names. No dashboard code runs here.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from jwcrypto import jwk, jws, jwt

from tests.oidc_provider.process import OIDCProviderError, OIDCProviderProcess
from tests.oidc_provider.rp import (
    TIMEOUT_SECONDS,
    AuthorizationRequest,
    authorization_request,
    browser_sign_in,
    callback_params,
    exchange_code,
    is_login_page,
    unverified_parts,
    verify_signature,
)

# Starts servers or manage.py processes: left out of `make test-fast`; one xdist group per module.
pytestmark = [pytest.mark.processes, pytest.mark.xdist_group("oidc")]

# Never contacted: the provider only redirects the browser there, and the tests stop at that hop.
REDIRECT_URI = "http://127.0.0.1:9/accounts/oidc/test-provider/login/callback/"
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Setup:
    """A registered client and user on the shared provider, unique to one test."""

    provider: OIDCProviderProcess
    discovery: dict[str, Any]
    client_id: str
    client_secret: str
    username: str
    claims: dict[str, Any]

    def authorize(self, **kwargs: Any) -> AuthorizationRequest:
        return authorization_request(
            self.discovery["authorization_endpoint"], self.client_id, REDIRECT_URI, **kwargs
        )

    def exchange(self, code: str, code_verifier: str | None, **kwargs: Any) -> requests.Response:
        return exchange_code(
            self.discovery["token_endpoint"],
            client_id=self.client_id,
            client_secret=self.client_secret,
            code=code,
            redirect_uri=REDIRECT_URI,
            code_verifier=code_verifier,
            **kwargs,
        )

    def sign_in(self, request: AuthorizationRequest) -> dict[str, str]:
        """A fresh browser signs in; returns the callback's parameters after checking state."""
        with requests.Session() as browser:
            response = browser_sign_in(browser, request.url, self.username, PASSWORD)
        params = callback_params(response, REDIRECT_URI)
        assert params.get("state") == request.state
        return params

    def id_token(self, **authorize_kwargs: Any) -> tuple[str, AuthorizationRequest]:
        """A whole code + PKCE flow; returns the raw ID token and the request it answers."""
        request = self.authorize(**authorize_kwargs)
        params = self.sign_in(request)
        response = self.exchange(params["code"], request.code_verifier)
        assert response.status_code == 200, response.text
        return response.json()["id_token"], request

    def jwks(self) -> dict[str, Any]:
        return requests.get(self.discovery["jwks_uri"], timeout=TIMEOUT_SECONDS).json()


@pytest.fixture
def setup(oidc_provider: OIDCProviderProcess) -> Setup:
    suffix = uuid.uuid4().hex[:10]
    client_id, client_secret = f"dashboard-{suffix}", f"secret-{uuid.uuid4().hex}"
    oidc_provider.add_client(client_id, client_secret, [REDIRECT_URI])
    username = f"grace-{suffix}"
    claims = oidc_provider.add_user(
        username,
        PASSWORD,
        email=f"{username}@example.test",
        sub=f"subject-{suffix}",
        name="Grace Hopper",
        amr=["pwd", "mfa"],
    )
    discovery = requests.get(oidc_provider.discovery_url, timeout=TIMEOUT_SECONDS).json()
    return Setup(oidc_provider, discovery, client_id, client_secret, username, claims)


def test_discovery_publishes_the_endpoints_and_algorithms_an_rp_needs(
    oidc_provider: OIDCProviderProcess,
) -> None:
    response = requests.get(oidc_provider.discovery_url, timeout=TIMEOUT_SECONDS)

    assert response.status_code == 200
    discovery = response.json()
    issuer = oidc_provider.issuer
    assert issuer == oidc_provider.base_url + "/o"
    assert urlsplit(issuer).hostname == "127.0.0.1"
    assert discovery["issuer"] == issuer
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint"):
        assert discovery[endpoint].startswith(issuer + "/"), endpoint
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]
    assert {"openid", "email", "profile"} <= set(discovery["scopes_supported"])
    assert {"sub", "email", "email_verified", "name", "amr"} <= set(discovery["claims_supported"])
    jwks = requests.get(discovery["jwks_uri"], timeout=TIMEOUT_SECONDS).json()
    assert [key["kty"] for key in jwks["keys"]] == ["RSA"]
    assert "d" not in jwks["keys"][0], "the JWKS must not leak the private key"


def test_login_page_is_plain_html_with_labelled_fields(setup: Setup) -> None:
    request = setup.authorize()
    with requests.Session() as browser:
        response = browser.get(request.url, timeout=TIMEOUT_SECONDS)

    assert is_login_page(response)
    assert urlsplit(response.url).path == "/login/"
    assert '<label for="id_username">Username</label>' in response.text
    assert '<label for="id_password">Password</label>' in response.text
    assert '<button type="submit">Sign in</button>' in response.text
    assert 'name="csrfmiddlewaretoken"' in response.text


@pytest.mark.parametrize("auth", ["client_secret_basic", "client_secret_post"])
def test_code_flow_with_pkce_yields_an_id_token_signed_by_a_published_key(
    setup: Setup, auth: str
) -> None:
    request = setup.authorize()
    params = setup.sign_in(request)
    response = setup.exchange(params["code"], request.code_verifier, auth=auth)

    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    header, _ = unverified_parts(tokens["id_token"])
    assert header["alg"] == "RS256"
    assert header["kid"] in {key["kid"] for key in setup.jwks()["keys"]}
    claims = verify_signature(tokens["id_token"], setup.jwks())
    assert claims["iss"] == setup.provider.issuer
    assert claims["aud"] == setup.client_id
    assert claims["nonce"] == request.nonce
    assert claims["sub"] == setup.claims["sub"] == f"subject-{setup.username.split('-')[1]}"
    assert claims["email"] == f"{setup.username}@example.test"
    assert claims["email_verified"] is True
    assert claims["name"] == "Grace Hopper"
    assert claims["amr"] == ["pwd", "mfa"]
    assert claims["iat"] <= time.time() + 5 < claims["exp"]


def test_userinfo_answers_the_same_claims_for_the_access_token(setup: Setup) -> None:
    request = setup.authorize()
    params = setup.sign_in(request)
    access_token = setup.exchange(params["code"], request.code_verifier).json()["access_token"]

    response = requests.get(
        setup.discovery["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=TIMEOUT_SECONDS,
    )

    assert response.status_code == 200, response.text
    assert response.json() == {
        "sub": setup.claims["sub"],
        "email": f"{setup.username}@example.test",
        "email_verified": True,
        "name": "Grace Hopper",
        "amr": ["pwd", "mfa"],
    }


def test_scopes_limit_the_claims(setup: Setup) -> None:
    id_token, _ = setup.id_token(scope="openid")

    claims = verify_signature(id_token, setup.jwks())
    assert claims["sub"] == setup.claims["sub"]
    assert claims["amr"] == ["pwd", "mfa"]
    assert "email" not in claims
    assert "name" not in claims


def test_a_replayed_code_is_invalid_grant(setup: Setup) -> None:
    request = setup.authorize()
    code = setup.sign_in(request)["code"]
    assert setup.exchange(code, request.code_verifier).status_code == 200

    replay = setup.exchange(code, request.code_verifier)

    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"


def test_authorize_without_pkce_is_refused(setup: Setup) -> None:
    params = setup.sign_in(setup.authorize(pkce="none"))

    assert params["error"] == "invalid_request"
    assert "code" not in params


def test_authorize_with_plain_pkce_is_refused(setup: Setup) -> None:
    params = setup.sign_in(setup.authorize(pkce="plain"))

    assert params["error"] == "invalid_request"
    assert "code" not in params


@pytest.mark.parametrize("verifier", [None, "a-verifier-that-does-not-match-the-challenge-xyz"])
def test_token_exchange_without_the_right_verifier_is_refused(
    setup: Setup, verifier: str | None
) -> None:
    request = setup.authorize()
    code = setup.sign_in(request)["code"]

    response = setup.exchange(code, verifier)

    assert response.status_code == 400
    assert response.json()["error"] in {"invalid_request", "invalid_grant"}
    assert "id_token" not in response.json()


def test_a_wrong_client_secret_is_invalid_client(setup: Setup) -> None:
    request = setup.authorize()
    code = setup.sign_in(request)["code"]

    response = exchange_code(
        setup.discovery["token_endpoint"],
        client_id=setup.client_id,
        client_secret="not-the-secret",
        code=code,
        redirect_uri=REDIRECT_URI,
        code_verifier=request.code_verifier,
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_an_unregistered_redirect_uri_is_not_redirected_to(setup: Setup) -> None:
    request = authorization_request(
        setup.discovery["authorization_endpoint"], setup.client_id, "http://127.0.0.1:9/evil/"
    )
    with requests.Session() as browser:
        response = browser_sign_in(browser, request.url, setup.username, PASSWORD)

    assert not response.is_redirect
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("switch", "claim", "expected"),
    [
        ({"aud": "someone-else"}, "aud", "someone-else"),
        ({"iss": "http://127.0.0.1:9/impostor"}, "iss", "http://127.0.0.1:9/impostor"),
        ({"nonce": "not-the-nonce-you-sent"}, "nonce", "not-the-nonce-you-sent"),
    ],
)
def test_misbehaviour_replaces_exactly_one_claim_and_the_signature_still_verifies(
    setup: Setup, switch: dict[str, str], claim: str, expected: str
) -> None:
    good_token, _ = setup.id_token()
    setup.provider.misbehave(**switch)

    bad_token, _ = setup.id_token()

    good = verify_signature(good_token, setup.jwks())
    bad = verify_signature(bad_token, setup.jwks())
    assert bad[claim] == expected != good[claim]
    unchanged = {"iss", "aud", "nonce", "sub", "email", "amr"} - {claim, "nonce"}
    assert {name: bad[name] for name in unchanged} == {name: good[name] for name in unchanged}


def test_expired_misbehaviour_puts_exp_in_the_past(setup: Setup) -> None:
    setup.provider.misbehave(expired=True)

    id_token, request = setup.id_token()

    claims = verify_signature(id_token, setup.jwks())
    assert claims["exp"] < time.time() - 600
    assert claims["nonce"] == request.nonce
    keyset = jwk.JWKSet.from_json(json.dumps(setup.jwks()))
    with pytest.raises(jwt.JWTExpired):
        jwt.JWT(jwt=id_token, key=keyset)  # jwcrypto's default claim checks include exp


def test_rogue_key_misbehaviour_signs_with_a_key_the_jwks_does_not_publish(setup: Setup) -> None:
    setup.provider.misbehave(rogue_key=True)

    id_token, request = setup.id_token()

    header, claims = unverified_parts(id_token)
    jwks = setup.jwks()
    assert header["kid"] not in {key["kid"] for key in jwks["keys"]}
    assert claims["nonce"] == request.nonce
    assert claims["iss"] == setup.provider.issuer
    with pytest.raises(jwt.JWTMissingKey):
        verify_signature(id_token, jwks)
    published = jwk.JWK(**jwks["keys"][0])
    with pytest.raises(jws.InvalidJWSSignature):
        jwt.JWT(jwt=id_token, key=published, check_claims=False)


def test_misbehaviour_lasts_for_count_tokens_or_until_behave(setup: Setup) -> None:
    setup.provider.misbehave(aud="someone-else", count=1)
    assert unverified_parts(setup.id_token()[0])[1]["aud"] == "someone-else"
    assert unverified_parts(setup.id_token()[0])[1]["aud"] == setup.client_id

    setup.provider.misbehave(aud="someone-else")
    assert unverified_parts(setup.id_token()[0])[1]["aud"] == "someone-else"
    assert unverified_parts(setup.id_token()[0])[1]["aud"] == "someone-else"
    setup.provider.behave()
    assert unverified_parts(setup.id_token()[0])[1]["aud"] == setup.client_id


def test_an_inactive_user_cannot_sign_in(setup: Setup) -> None:
    setup.provider.update_user(setup.username, is_active=False)
    request = setup.authorize()

    with requests.Session() as browser:
        response = browser_sign_in(browser, request.url, setup.username, PASSWORD)

    assert is_login_page(response)
    assert 'role="alert"' in response.text
    assert not response.is_redirect


def test_a_wrong_password_cannot_sign_in(setup: Setup) -> None:
    with requests.Session() as browser:
        response = browser_sign_in(browser, setup.authorize().url, setup.username, "wrong")

    assert is_login_page(response)
    assert 'role="alert"' in response.text


def test_updating_a_user_keeps_the_sub_unless_told(setup: Setup) -> None:
    updated = setup.provider.update_user(setup.username, amr=["pwd"], email_verified=False)
    assert updated["sub"] == setup.claims["sub"]

    claims = verify_signature(setup.id_token()[0], setup.jwks())
    assert claims["sub"] == setup.claims["sub"]
    assert claims["amr"] == ["pwd"]
    assert claims["email_verified"] is False

    setup.provider.update_user(setup.username, sub="a-new-subject")
    assert verify_signature(setup.id_token()[0], setup.jwks())["sub"] == "a-new-subject"


def test_a_signed_in_browser_is_not_asked_again(setup: Setup) -> None:
    with requests.Session() as browser:
        first = setup.authorize()
        callback_params(browser_sign_in(browser, first.url, setup.username, PASSWORD), REDIRECT_URI)
        second = setup.authorize()
        response = browser.get(second.url, allow_redirects=False, timeout=TIMEOUT_SECONDS)

    assert callback_params(response, REDIRECT_URI)["state"] == second.state


def test_the_control_api_needs_the_bearer_secret(oidc_provider: OIDCProviderProcess) -> None:
    url = f"{oidc_provider.base_url}/_control/users"
    body = {"username": "mallory", "password": "x"}

    anonymous = requests.post(url, json=body, timeout=TIMEOUT_SECONDS)
    wrong = requests.post(
        url, json=body, headers={"Authorization": "Bearer guess"}, timeout=TIMEOUT_SECONDS
    )

    assert anonymous.status_code == wrong.status_code == 401


def test_the_control_api_refuses_unknown_switches(oidc_provider: OIDCProviderProcess) -> None:
    with pytest.raises(OIDCProviderError, match="400"):
        oidc_provider._control("POST", "misbehave", {"alg": "none"})


def test_a_slow_client_does_not_block_discovery(oidc_provider: OIDCProviderProcess) -> None:
    """The dashboard fetches discovery and JWKS while the browser's request is still open."""
    address = urlsplit(oidc_provider.base_url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as stalled:
        stalled.sendall(b"GET /o/.well-known/jwks.json HTTP/1.1\r\nHost: 127.0.0.1\r\n")

        started = time.monotonic()
        response = requests.get(oidc_provider.discovery_url, timeout=3)

    assert response.status_code == 200
    assert time.monotonic() - started < 2


def test_concurrent_sign_ins_all_get_their_own_valid_token(setup: Setup) -> None:
    """Threaded server, SQLite in WAL mode: parallel logins and exchanges must not trip locks."""
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: setup.id_token(), range(6)))

    jwks = setup.jwks()
    for id_token, request in results:
        claims = verify_signature(id_token, jwks)
        assert (claims["nonce"], claims["sub"]) == (request.nonce, setup.claims["sub"])
    assert len({request.nonce for _, request in results}) == 6


def test_the_helper_reports_a_dead_provider_with_its_stderr() -> None:
    provider = OIDCProviderProcess().start()
    try:
        assert provider._launched is not None and provider._launched.process is not None
        provider._launched.process.kill()
        provider._launched.process.wait(timeout=5)

        with pytest.raises(OIDCProviderError, match=r"died \(exit code -9\); stderr:"):
            provider.add_user("nobody", "x")
    finally:
        provider.stop()
