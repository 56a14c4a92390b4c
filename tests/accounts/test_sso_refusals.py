"""Every way a single sign-on can go wrong ends on a clear page (4xx, plain words), with nobody
signed in and the refusal in the sign-in audit trail. Bad ID tokens come from the real provider
misbehaving (tests/oidc_provider/misbehaviour.py), not from a mock."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client

from customers_ui.models import SignInEvent, SSOIdentity
from tests.oidc_provider.rp import browser_sign_in

from .conftest import (
    CALLBACK_PATH,
    PROVIDER_NAME,
    PROVIDER_PASSWORD,
    query_of,
    signed_in_user_id,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

OUT_OF_DATE = "This sign-in link is out of date or was already used"
UNVERIFIABLE = f"We could not verify the answer from {PROVIDER_NAME}"


def assert_refused(response, *, status: int, words: str, reason: str, client: Client) -> None:
    page = response.content.decode()
    assert response.status_code == status, page[:400]
    assert "You were not signed in" in page
    assert words in page
    assert signed_in_user_id(client) is None
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.SSO_REFUSED)
    assert event.method == "sso"
    assert event.detail.startswith(reason), event.detail


def _with_state(callback: str, state: str) -> str:
    params = query_of(callback)
    return f"{CALLBACK_PATH}?{urlencode({**params, 'state': state})}"


def test_a_wrong_state_is_refused(client, sso) -> None:
    callback = sso.at_provider(sso.start(client), sso.add_person())

    response = client.get(_with_state(callback, "not-the-state-we-sent"))

    assert_refused(response, status=400, words=OUT_OF_DATE, reason="state_mismatch", client=client)
    assert not User.objects.exists()


def test_a_callback_this_browser_did_not_start_is_refused(client, sso) -> None:
    """Login CSRF: someone else's code and state, delivered to my browser, sign nobody in."""
    attacker = Client()
    callback = sso.at_provider(sso.start(attacker), sso.add_person())

    response = client.get(callback)

    assert_refused(response, status=400, words=OUT_OF_DATE, reason="state_mismatch", client=client)


def test_a_replayed_callback_is_refused(client, sso) -> None:
    callback = sso.at_provider(sso.start(client), sso.add_person())
    assert client.get(callback).status_code == 302
    client.post("/accounts/logout/")

    response = client.get(callback)

    assert_refused(response, status=400, words=OUT_OF_DATE, reason="state_mismatch", client=client)


def test_a_replayed_code_is_refused_by_the_provider(client, sso) -> None:
    person = sso.add_person()
    used = sso.at_provider(sso.start(client), person)
    assert client.get(used).status_code == 302
    client.post("/accounts/logout/")

    fresh_state = query_of(sso.start(client))["state"]  # a sign-in this browser did start...
    response = client.get(_with_state(used, fresh_state))  # ...answered with the old code

    page = response.content.decode()
    assert response.status_code == 400
    assert OUT_OF_DATE in page
    assert signed_in_user_id(client) is None
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.SSO_REFUSED)
    assert event.detail == "code_refused: invalid_grant"


@pytest.mark.parametrize(
    ("misbehaviour", "reason"),
    [
        ({"aud": "someone-else"}, "id_token_invalid"),
        ({"iss": "http://127.0.0.1:9/impostor"}, "id_token_invalid"),
        ({"nonce": "not-the-nonce-we-sent"}, "id_token_invalid"),
        ({"expired": True}, "id_token_expired"),
        ({"rogue_key": True}, "id_token_invalid"),
    ],
    ids=["wrong-audience", "wrong-issuer", "wrong-nonce", "expired", "bad-signature"],
)
def test_a_bad_id_token_is_refused(client, sso, misbehaviour, reason) -> None:
    person = sso.add_person()
    callback = sso.at_provider(sso.start(client), person)
    sso.provider.misbehave(**misbehaviour, count=1)

    response = client.get(callback)

    assert_refused(response, status=403, words=UNVERIFIABLE, reason=reason, client=client)
    assert not User.objects.exists()
    assert not SSOIdentity.objects.exists()


@pytest.mark.parametrize(
    ("claim", "detail"),
    [("aud", "'aud'"), ("iss", "'iss'"), ("nonce", "'nonce'")],
)
def test_the_refusal_names_the_claim_that_failed(client, sso, claim, detail) -> None:
    callback = sso.at_provider(sso.start(client), sso.add_person())
    sso.provider.misbehave(**{claim: "wrong"}, count=1)

    client.get(callback)

    event = SignInEvent.objects.get(kind=SignInEvent.Kind.SSO_REFUSED)
    assert detail in event.detail


def test_an_email_domain_not_allowed_is_refused(client, sso) -> None:
    person = sso.add_person(email="mallory@elsewhere.test")

    response = sso.sign_in(client, person)

    assert_refused(
        response,
        status=403,
        words="Accounts from elsewhere.test cannot use this dashboard",
        reason="email_domain_not_allowed: elsewhere.test",
        client=client,
    )
    assert not User.objects.exists()
    assert SignInEvent.objects.get(kind=SignInEvent.Kind.SSO_REFUSED).username == person.email


def test_a_look_alike_subdomain_is_not_an_allowed_domain(client, sso) -> None:
    person = sso.add_person(email="mallory@example.test.evil.test")

    response = sso.sign_in(client, person)

    assert response.status_code == 403
    assert not User.objects.exists()


def test_an_unverified_email_is_refused(client, sso) -> None:
    person = sso.add_person(email_verified=False)

    response = sso.sign_in(client, person)

    assert_refused(
        response,
        status=403,
        words="is not verified yet",
        reason="email_not_verified",
        client=client,
    )
    assert not User.objects.exists()


def test_a_user_deactivated_here_cannot_sign_in_through_sso(client, sso) -> None:
    person = sso.add_person()
    sso.sign_in(client, person)
    user = User.objects.get(pk=signed_in_user_id(client))
    client.post("/accounts/logout/")
    user.is_active = False
    user.save()

    response = sso.sign_in(client, person)

    assert_refused(
        response, status=403, words="is deactivated", reason="user_inactive", client=client
    )
    assert SignInEvent.objects.get(kind=SignInEvent.Kind.SSO_REFUSED).user == user


def test_a_deactivated_users_open_session_ends(client, sso) -> None:
    sso.sign_in(client, sso.add_person())
    User.objects.filter(pk=signed_in_user_id(client)).update(is_active=False)

    response = client.get("/credentials/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_disabled_at_the_provider_cannot_sign_in(client, sso) -> None:
    person = sso.add_person()
    sso.provider.update_user(person.username, is_active=False)
    authorize_url = sso.start(client)

    with requests.Session() as browser:
        response = browser_sign_in(browser, authorize_url, person.username, PROVIDER_PASSWORD)

    assert not response.is_redirect  # the provider keeps them on its own login page
    assert signed_in_user_id(client) is None


def test_the_providers_own_error_is_shown(client, sso) -> None:
    state = query_of(sso.start(client))["state"]

    response = client.get(
        CALLBACK_PATH + "?" + urlencode({"error": "access_denied", "state": state})
    )

    assert_refused(
        response,
        status=403,
        words=f"{PROVIDER_NAME} did not sign you in (access_denied)",
        reason="provider_error: access_denied",
        client=client,
    )


def test_a_refused_sign_in_does_not_end_an_existing_session_or_switch_it(client, sso) -> None:
    person = sso.add_person()
    sso.sign_in(client, person)
    me = signed_in_user_id(client)
    other = sso.add_person(email="other@elsewhere.test")

    response = sso.sign_in(client, other)

    assert response.status_code == 403
    assert signed_in_user_id(client) == me


def test_a_made_up_provider_error_is_not_echoed(client, sso) -> None:
    state = query_of(sso.start(client))["state"]

    response = client.get(
        CALLBACK_PATH
        + "?"
        + urlencode({"error": "Call 555-0100 to restore access", "state": state})
    )

    assert response.status_code == 403
    assert "555-0100" not in response.content.decode()
    assert "(unknown_error)" in response.content.decode()
