"""Signing in through the real provider: accounts are made on first sign-in and matched on the
provider's subject afterwards, never on an e-mail address."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from customers_ui.models import SignInEvent, SSOIdentity

from .conftest import PASSWORD, signed_in_user_id

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_whole_flow_signs_in_and_lands_on_the_home_page(client, sso) -> None:
    person = sso.add_person(name="Grace Hopper")

    response = sso.sign_in(client, person)

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(pk=signed_in_user_id(client))
    assert user.email == person.email
    # Signed in: the header names the person on the next page.
    page = client.get("/credentials/")
    assert page.status_code == 200
    assert "Grace Hopper" in page.content.decode()


def test_first_sign_in_creates_an_ordinary_user_who_has_no_password(client, sso) -> None:
    person = sso.add_person(name="Grace Hopper")

    sso.sign_in(client, person)

    user = User.objects.get(email=person.email)
    assert user.username == person.email
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    assert not user.has_usable_password()
    assert user.get_full_name() == "Grace Hopper"
    identity = SSOIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso.provider.issuer, person.sub)
    created = SignInEvent.objects.get(kind=SignInEvent.Kind.SSO_USER_CREATED)
    assert created.user == user
    assert person.sub in created.detail
    signed_in = SignInEvent.objects.get(kind=SignInEvent.Kind.SIGN_IN)
    assert (signed_in.user, signed_in.method) == (user, "sso")


def test_a_later_sign_in_with_a_changed_email_is_the_same_user(client, sso) -> None:
    person = sso.add_person()
    sso.sign_in(client, person)
    user = User.objects.get(pk=signed_in_user_id(client))
    client.post("/accounts/logout/")

    sso.provider.update_user(person.username, email="grace.hopper@example.test", name="G. Hopper")
    sso.sign_in(client, person)

    assert signed_in_user_id(client) == str(user.pk)
    assert User.objects.count() == 1
    user.refresh_from_db()
    assert user.email == "grace.hopper@example.test"
    assert user.first_name == "G. Hopper"
    assert SSOIdentity.objects.get(user=user).email == "grace.hopper@example.test"


def test_another_subject_with_an_existing_users_email_does_not_get_that_user(client, sso) -> None:
    first = sso.add_person(email="shared@example.test")
    sso.sign_in(client, first)
    owner = User.objects.get(pk=signed_in_user_id(client))
    client.post("/accounts/logout/")

    impostor = sso.add_person(email="shared@example.test")  # a new subject, same address
    sso.sign_in(client, impostor)

    newcomer = User.objects.get(pk=signed_in_user_id(client))
    assert newcomer != owner
    assert newcomer.username == "shared@example.test-2"
    assert SSOIdentity.objects.get(subject=impostor.sub).user == newcomer
    assert SSOIdentity.objects.get(subject=first.sub).user == owner
    created = SignInEvent.objects.filter(kind=SignInEvent.Kind.SSO_USER_CREATED).first()
    assert "not linked" in created.detail
    assert "shared@example.test" in created.detail


def test_a_password_account_with_the_same_email_is_never_signed_into(client, sso) -> None:
    existing = User.objects.create_user(
        "grace@example.test", email="grace@example.test", password=PASSWORD, is_staff=True
    )
    person = sso.add_person(email="grace@example.test")

    sso.sign_in(client, person)

    assert signed_in_user_id(client) != str(existing.pk)
    assert not SSOIdentity.objects.filter(user=existing).exists()
    assert not User.objects.get(pk=signed_in_user_id(client)).is_staff


def test_an_identity_an_admin_linked_signs_into_that_account(client, sso) -> None:
    existing = User.objects.create_user("grace", email="old@example.test", password=PASSWORD)
    person = sso.add_person()
    SSOIdentity.objects.create(user=existing, issuer=sso.provider.issuer, subject=person.sub)

    sso.sign_in(client, person)

    assert signed_in_user_id(client) == str(existing.pk)
    assert User.objects.count() == 1


def test_the_page_asked_for_before_signing_in_is_where_you_land(client, sso) -> None:
    person = sso.add_person()

    response = sso.sign_in(client, person, next="/credentials/")

    assert response["Location"] == "/credentials/"


def test_a_next_page_on_another_site_is_ignored(client, sso) -> None:
    person = sso.add_person()

    response = sso.sign_in(client, person, next="https://evil.example/steal")

    assert response["Location"] == "/"


def test_signing_in_gives_a_new_session_key(client, sso) -> None:
    client.get("/accounts/login/")
    person = sso.add_person()
    authorize_url = sso.start(client)
    before = client.session.session_key

    client.get(sso.at_provider(authorize_url, person))

    assert signed_in_user_id(client)
    assert client.session.session_key != before
