"""The two-tier token flow of the Thredfi quickstart, and every way a token can stop working."""

from __future__ import annotations

import pytest

from sandbox.demo import BUSINESS_EUR, BUSINESS_GBP, BUSINESS_USD, DEMO_CUSTOMER_ID
from tests.sandbox.conftest import assert_error_envelope, pass_time_until, token_claims


def test_partner_token_with_basic_auth_and_client_credentials_grant(api) -> None:
    response = api.request_partner_token()

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Request-ID"].startswith("req_")
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["access_token"].count(".") == 2  # compact JWT


def test_business_token_from_partner_token(api) -> None:
    response = api.request_business_token(BUSINESS_GBP, api.partner_token())

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "business_access"
    assert body["expires_in"] == 3600
    claims = token_claims(body["access_token"])
    assert claims["business_id"] == BUSINESS_GBP
    assert {"partner_id", "scope", "iat", "exp", "jti"} <= set(claims)


@pytest.mark.parametrize(
    ("partner", "key"),
    [
        ("7d3c5e1a-2b4f-4c6d-8e9f-0a1b2c3d4e5f", "wrong-key"),
        ("00000000-0000-4000-8000-000000000000", "thredfi_sandbox_demo_key_2f8a6c1e9b4d"),
    ],
)
def test_wrong_credentials_are_401_in_the_error_envelope(api, partner, key) -> None:
    body = assert_error_envelope(api.request_partner_token(partner, key), 401)
    assert body["error_code"] == "invalid_client"


def test_missing_basic_auth_is_401(api) -> None:
    response = api.http.post(
        api.url("/v1/platform/oauth2/token/"), data={"grant_type": "client_credentials"}
    )
    assert_error_envelope(response, 401)


@pytest.mark.parametrize("data", [{"grant_type": "password"}, {"scope": "x"}])
def test_missing_or_wrong_grant_type_is_400(api, data) -> None:
    body = assert_error_envelope(api.request_partner_token(**data), 400)
    assert body["error_code"] == "unsupported_grant_type"
    assert body["error"] == "unsupported_grant_type"


def test_token_routes_accept_paths_without_trailing_slash(api) -> None:
    response = api.http.post(
        api.url("/v1/platform/oauth2/token"),
        auth=("7d3c5e1a-2b4f-4c6d-8e9f-0a1b2c3d4e5f", "thredfi_sandbox_demo_key_2f8a6c1e9b4d"),
        data={"grant_type": "client_credentials"},
    )
    assert response.status_code == 200
    token = response.json()["access_token"]
    response = api.http.post(
        api.url(f"/v1/platform/{BUSINESS_GBP}/oauth2/token"),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200


def test_business_token_for_unknown_business_is_404(api) -> None:
    response = api.request_business_token(
        "99999999-9999-4999-8999-999999999999", api.partner_token()
    )
    assert_error_envelope(response, 404)


def test_business_token_cannot_mint_business_tokens(api, business_tokens) -> None:
    response = api.request_business_token(BUSINESS_GBP, business_tokens[BUSINESS_GBP])
    assert_error_envelope(response, 401)


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer garbage", "Basic Zm9vOmJhcg=="])
def test_missing_or_garbage_tokens_are_401(api, header) -> None:
    response = api.http.get(
        api.url(f"/v1/platform/businesses/{BUSINESS_GBP}/customers/"),
        headers={"Authorization": header} if header else {},
    )
    assert_error_envelope(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_tampered_token_is_401(api, business_tokens) -> None:
    header, payload, signature = business_tokens[BUSINESS_GBP].split(".")
    forged = f"{header}.{payload}.{signature[::-1]}"
    assert_error_envelope(api.customers(BUSINESS_GBP, forged), 401)


@pytest.mark.parametrize("other", [BUSINESS_EUR, BUSINESS_USD])
def test_business_token_is_only_valid_for_its_own_business(api, business_tokens, other) -> None:
    token = business_tokens[BUSINESS_GBP]
    assert_error_envelope(api.customers(other, token), 401)
    assert_error_envelope(api.customer(other, DEMO_CUSTOMER_ID, token), 401)
    assert_error_envelope(api.get(f"/v1/platform/businesses/{other}/", token), 401)
    assert api.customers(BUSINESS_GBP, token).status_code == 200


def test_partner_token_on_customer_routes_is_403(api) -> None:
    """Documented choice: unscoped tokens cannot read customers; re-authenticating will not help."""
    token = api.partner_token()
    body = assert_error_envelope(api.customers(BUSINESS_GBP, token), 403)
    assert body["detail"]["required_scope"] == "business_access"
    assert_error_envelope(api.customer(BUSINESS_GBP, DEMO_CUSTOMER_ID, token), 403)


def test_partner_token_on_unknown_business_customers_is_404(api) -> None:
    token = api.partner_token()
    assert_error_envelope(api.customers("99999999-9999-4999-8999-999999999999", token), 404)


def test_tokens_really_expire(start_sandbox) -> None:
    process, client = start_sandbox(token_ttl=1)
    partner_token = client.partner_token()
    token = client.business_token(BUSINESS_GBP)
    assert client.customers(BUSINESS_GBP, token).status_code == 200

    pass_time_until(process, max(token_claims(token)["exp"], token_claims(partner_token)["exp"]))

    assert_error_envelope(client.customers(BUSINESS_GBP, token), 401)
    assert_error_envelope(client.request_business_token(BUSINESS_GBP, partner_token), 401)
    assert client.customers(BUSINESS_GBP, client.business_token(BUSINESS_GBP)).status_code == 200


@pytest.mark.processes
def test_revoke_tokens_invalidates_every_issued_token(start_sandbox) -> None:
    process, client = start_sandbox(own_process=True)  # revoking would spoil the shared tokens
    partner_token = client.partner_token()
    token = client.business_token(BUSINESS_GBP)

    process.revoke_tokens()

    assert_error_envelope(client.customers(BUSINESS_GBP, token), 401)
    assert_error_envelope(client.request_business_token(BUSINESS_GBP, partner_token), 401)
    fresh = client.business_token(BUSINESS_GBP)
    assert client.customers(BUSINESS_GBP, fresh).status_code == 200


@pytest.mark.processes
def test_restart_invalidates_tokens(start_sandbox) -> None:
    _, first = start_sandbox(own_process=True)
    token = first.business_token(BUSINESS_GBP)
    _, second = start_sandbox(own_process=True)

    assert_error_envelope(second.customers(BUSINESS_GBP, token), 401)
