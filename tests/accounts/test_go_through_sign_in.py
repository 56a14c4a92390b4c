"""Signed out (or owing a second factor): a `/go` link survives sign-in with every parameter and
then opens the customer, with the password, with a second factor, and with single sign-on.

After sign-in the browser comes back to `/go` by a redirect: from our own login or second-factor
form (same-origin), or from the identity provider's site (cross-site). Either way the person
chose to sign in to reach this link, so it acts at once; the requests below send no
`Sec-Fetch-Site` at all (the strictest case: an older browser) or `cross-site` (the SSO hop).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.utils.html import escape

from customers_ui.models import LookupEvent, SSOIdentity
from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID
from tests.factories import make_credential

from .conftest import PASSWORD, code_for, enrol

pytestmark = pytest.mark.django_db

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
LINK = {
    "business": "Harbour & Finch Ltd",
    "customer": "ada@cobaltkitchens.example",
    "ticket": "ZD-1234 #a&b",
    "via": "Zendesk",
}
CROSS = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": "https://evil.example/"}


@pytest.fixture
def sam_with_credential(sam, thredfi_sandbox):
    make_credential(sam)
    return sam


def _next_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["next"][0]


def _params_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def _password_sign_in(client, next_url: str):
    """The login form as the browser posts it: `next` is its hidden field."""
    login_page = client.get(f"/accounts/login/?{urlencode({'next': next_url})}")
    assert f'name="next" value="{escape(next_url)}"' in login_page.content.decode()
    return client.post(
        "/accounts/login/", {"username": "sam", "password": PASSWORD, "next": next_url}
    )


def _signed_out_link(client) -> str:
    """Open the link signed out: the login page, with the whole link as `next`."""
    response = client.get("/go", LINK, **CROSS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    next_url = _next_of(response["Location"])
    assert urlsplit(next_url).path == "/go"
    assert _params_of(next_url) == LINK  # every parameter intact
    return next_url


def test_password_sign_in_returns_to_the_link_and_opens_the_customer(
    client, sam_with_credential, thredfi_sandbox
) -> None:
    next_url = _signed_out_link(client)
    assert thredfi_sandbox.stats()["total_requests"] == 0

    signed_in = _password_sign_in(client, next_url)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == next_url

    opened = client.get(signed_in["Location"])  # no Sec-Fetch-Site: the sign-in vouches
    assert opened.status_code == 302
    assert opened["Location"] == DETAIL
    client.get(DETAIL)
    view = LookupEvent.objects.get(action="view")
    assert (view.ticket_ref, view.via) == ("ZD-1234 #a&b", "Zendesk")


def test_the_sign_in_vouches_for_that_link_once_and_for_no_other(
    client, sam_with_credential, thredfi_sandbox
) -> None:
    next_url = _signed_out_link(client)
    _password_sign_in(client, next_url)
    other = client.get("/go", {**LINK, "customer": "CUST-0002"}, **CROSS)
    assert other.status_code == 200 and b"Open this customer" in other.content
    again = client.get(next_url, **CROSS)
    assert again.status_code == 200 and b"Open this customer" in again.content
    assert thredfi_sandbox.stats()["requests"]["list_customers"] == 0


def test_password_and_second_factor_return_to_the_link(
    client, sam_with_credential, thredfi_sandbox
) -> None:
    device, _ = enrol(sam_with_credential)
    next_url = _signed_out_link(client)

    signed_in = _password_sign_in(client, next_url)
    owed = client.get(signed_in["Location"])
    assert owed.status_code == 302
    assert owed["Location"].startswith("/accounts/mfa/verify/?next=")
    assert _next_of(owed["Location"]) == next_url
    assert thredfi_sandbox.stats()["total_requests"] == 0

    verified = client.post(owed["Location"], {"code": code_for(device.bin_key)})
    assert verified.status_code == 302
    assert verified["Location"] == next_url
    opened = client.get(verified["Location"])
    assert opened["Location"] == DETAIL


def test_single_sign_on_with_a_second_factor_returns_to_the_link(
    client, sso, sam_with_credential, thredfi_sandbox
) -> None:
    person = sso.add_person(amr=("pwd",))  # the provider did no second factor: ours is asked
    SSOIdentity.objects.create(
        user=sam_with_credential, issuer=sso.provider.issuer, subject=person.sub
    )
    device, _ = enrol(sam_with_credential)
    next_url = _signed_out_link(client)

    callback = sso.sign_in(client, person, next=next_url)
    assert callback.status_code == 302
    assert callback["Location"] == next_url
    owed = client.get(callback["Location"], HTTP_SEC_FETCH_SITE="cross-site")
    assert owed["Location"].startswith("/accounts/mfa/verify/?next=")
    verified = client.post(owed["Location"], {"code": code_for(device.bin_key)})
    assert verified["Location"] == next_url
    opened = client.get(verified["Location"])
    assert opened.status_code == 302
    assert opened["Location"] == DETAIL


def test_single_sign_on_whose_provider_did_the_second_factor_returns_to_the_link(
    client, sso, sam_with_credential, thredfi_sandbox
) -> None:
    person = sso.add_person(amr=("pwd", "mfa"))
    SSOIdentity.objects.create(
        user=sam_with_credential, issuer=sso.provider.issuer, subject=person.sub
    )
    next_url = _signed_out_link(client)

    callback = sso.sign_in(client, person, next=next_url)
    assert callback["Location"] == next_url
    # The redirect chain began at the provider's site: the browser says cross-site.
    opened = client.get(callback["Location"], HTTP_SEC_FETCH_SITE="cross-site")
    assert opened.status_code == 302
    assert opened["Location"] == DETAIL
