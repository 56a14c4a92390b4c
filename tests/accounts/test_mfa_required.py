"""MFA_REQUIRED=True: nobody without a second factor reaches customer data, credentials or the
admin until they enrol; single sign-on whose provider did the second factor counts."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model

from customers_ui.models import SSOIdentity

from .conftest import code_for, enrol, key_from_page, password_sign_in, signed_in_user_id

pytestmark = pytest.mark.django_db

BUSINESS = uuid.UUID("3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a01")
CUSTOMER = uuid.UUID("5b9e2d4c-8a1f-4e3b-9c7d-6f0a2b4c8e11")
DOCUMENT = uuid.UUID("11111111-2222-4333-8444-555555555555")
SETUP = "/accounts/mfa/setup/"
User = get_user_model()

CUSTOMER_PAGES = [
    "/",
    "/search/?q=ada",
    "/lookup/?ref=x",
    "/businesses/?q=harbour",
    f"/customers/{BUSINESS}/",
    f"/customers/{BUSINESS}/{CUSTOMER}/",
    f"/customers/{BUSINESS}/{CUSTOMER}/documents/{DOCUMENT}/",
]
CREDENTIAL_PAGES = [
    "/credentials/",
    "/credentials/new/",
    "/credentials/1/edit/",
    "/credentials/1/key/",
    "/credentials/1/delete/",
    "/credentials/1/test/",
    "/credentials/1/activate/",
]
OTHER_PAGES = ["/accounts/password/", "/accounts/security/", "/admin/"]


@pytest.fixture(autouse=True)
def mfa_required(settings) -> None:
    settings.MFA_REQUIRED = True


@pytest.mark.parametrize("url", CUSTOMER_PAGES + CREDENTIAL_PAGES + OTHER_PAGES)
def test_a_password_user_without_a_second_factor_is_sent_to_enrol(client, sam, url) -> None:
    password_sign_in(client)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(SETUP), response["Location"]


@pytest.mark.parametrize("url", ["/credentials/new/", "/credentials/1/delete/"])
def test_posts_are_stopped_too(client, sam, url) -> None:
    password_sign_in(client)

    response = client.post(url, {"label": "x"})

    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_the_way_back_is_kept(client, sam) -> None:
    password_sign_in(client)

    response = client.get("/credentials/new/")

    assert response["Location"] == f"{SETUP}?next=%2Fcredentials%2Fnew%2F"


@pytest.mark.parametrize("url", ["/healthz", "/accounts/login/", SETUP, "/static/css/app.css"])
def test_what_it_takes_to_enrol_stays_open(client, sam, url) -> None:
    password_sign_in(client)

    response = client.get(url)

    assert response.status_code in {200, 503}, url  # /healthz may report a dependency down


def test_logging_out_stays_open(client, sam) -> None:
    password_sign_in(client)

    assert client.post("/accounts/logout/").status_code == 302
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("url", CUSTOMER_PAGES[:1] + CREDENTIAL_PAGES[:1] + OTHER_PAGES)
def test_after_enrolling_the_pages_open(client, sam, url) -> None:
    sam.is_staff = sam.is_superuser = True
    sam.save()
    password_sign_in(client)
    key = key_from_page(client.get(SETUP).content.decode())
    client.post(SETUP, {"code": code_for(key)})

    response = client.get(url)

    assert not response.get("Location", "").startswith(("/accounts/mfa/", "/accounts/login/"))
    assert response.status_code in {200, 302}


def test_without_mfa_required_nobody_is_made_to_enrol(client, sam, settings) -> None:
    settings.MFA_REQUIRED = False
    password_sign_in(client)

    assert client.get("/credentials/").status_code == 200


def test_sso_whose_provider_did_mfa_is_let_through(client, sso) -> None:
    person = sso.add_person(amr=("pwd", "mfa"))

    sso.sign_in(client, person)

    assert client.get("/credentials/").status_code == 200


def test_sso_with_a_hardware_key_and_its_pin_counts_as_mfa(client, sso) -> None:
    """Two methods (RFC 8176); a key alone is one factor (tests/accounts/test_sso_hardening.py)."""
    person = sso.add_person(amr=("hwk", "pin"))

    sso.sign_in(client, person)

    assert client.get("/credentials/").status_code == 200


def test_sso_without_the_providers_mfa_must_enrol(client, sso) -> None:
    person = sso.add_person(amr=("pwd",))

    sso.sign_in(client, person)

    response = client.get("/credentials/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_the_trusted_amr_values_are_a_setting(client, sso, settings) -> None:
    settings.OIDC_MFA_AMR_VALUES = ["mfa"]
    settings.OIDC_MFA_TWO_METHODS = False
    person = sso.add_person(amr=("pwd", "otp"))

    sso.sign_in(client, person)

    assert client.get("/credentials/")["Location"].startswith(SETUP)


def test_the_provider_can_be_distrusted(client, sso, settings) -> None:
    settings.OIDC_TRUST_PROVIDER_MFA = False
    person = sso.add_person(amr=("pwd", "mfa"))

    sso.sign_in(client, person)

    assert client.get("/credentials/")["Location"].startswith(SETUP)


def test_the_providers_mfa_does_not_carry_over_to_a_password_sign_in(client, sso, sam) -> None:
    """Same browser: an SSO sign-in with MFA, then a password sign-in, which must enrol."""
    person = sso.add_person(amr=("mfa",))
    SSOIdentity.objects.create(user=sam, issuer=sso.provider.issuer, subject=person.sub)
    sso.sign_in(client, person)
    assert client.get("/credentials/").status_code == 200

    password_sign_in(client)

    assert client.get("/credentials/")["Location"].startswith(SETUP)


def test_sso_with_the_providers_mfa_is_not_asked_for_the_app_too(client, sso) -> None:
    person = sso.add_person(amr=("pwd", "mfa"))
    sso.sign_in(client, person)
    enrol(User.objects.get(email=person.email))
    client.post("/accounts/logout/")

    sso.sign_in(client, person)

    assert client.get("/credentials/").status_code == 200


def test_sso_without_the_providers_mfa_is_asked_for_the_app(client, sso, settings) -> None:
    settings.MFA_REQUIRED = False
    person = sso.add_person(amr=("pwd",))
    sso.sign_in(client, person)
    enrol(User.objects.get(email=person.email))
    client.post("/accounts/logout/")

    sso.sign_in(client, person)

    assert client.get("/credentials/")["Location"].startswith("/accounts/mfa/verify/")
