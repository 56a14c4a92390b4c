"""The API key is write-only: encrypted at rest and never in any page, even after an error."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection
from django.urls import reverse

from customers_ui.core.crypto import decrypt_secret
from customers_ui.models import PartnerCredential

from .conftest import PARTNER_UUID, SECRET_KEY_ALICE

pytestmark = pytest.mark.django_db

# A leak of any long-enough piece of the key counts, not just the whole of it.
KEY_PIECES = [SECRET_KEY_ALICE, SECRET_KEY_ALICE[:-4], SECRET_KEY_ALICE[4:16]]


def assert_no_key(html: str) -> None:
    for piece in KEY_PIECES:
        assert piece not in html


def _raw_ciphertext(pk: int) -> str:
    table = PartnerCredential._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT api_key_encrypted FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_database_holds_only_ciphertext(alice, make_credential):
    credential = make_credential(alice)

    raw = _raw_ciphertext(credential.pk)

    assert_no_key(raw)
    assert decrypt_secret(raw) == SECRET_KEY_ALICE
    fernet = Fernet(settings.CREDENTIALS_ENCRYPTION_KEYS[0].encode())
    assert fernet.decrypt(raw.encode()).decode() == SECRET_KEY_ALICE


def test_the_key_never_appears_on_any_credentials_page(alice, alice_client, make_credential):
    credential = make_credential(alice)
    pages = [
        reverse("customers_ui:credential_list"),
        reverse("customers_ui:credential_create"),
        reverse("customers_ui:credential_edit", args=[credential.pk]),
        reverse("customers_ui:credential_key", args=[credential.pk]),
        reverse("customers_ui:credential_delete", args=[credential.pk]),
    ]

    for url in pages:
        response = alice_client.get(url)
        assert response.status_code == 200, url
        assert_no_key(response.text)


def test_the_key_is_not_echoed_after_a_validation_error_on_create(alice, alice_client):
    response = alice_client.post(
        reverse("customers_ui:credential_create"),
        {"label": "EU", "partner_uuid": "not-a-uuid", "api_key": SECRET_KEY_ALICE},
    )

    assert response.status_code == 400
    assert "Enter a valid UUID." in response.text
    assert_no_key(response.text)
    assert 'value="EU"' in response.text  # the rest of the form is kept


def test_a_bad_key_is_not_echoed_either(alice, alice_client, make_credential):
    credential = make_credential(alice)
    bad_key = "has a space_but_is_a_secret_0042"

    response = alice_client.post(
        reverse("customers_ui:credential_key", args=[credential.pk]), {"api_key": bad_key}
    )

    assert response.status_code == 400
    assert bad_key not in response.text
    assert "secret_0042" not in response.text


def test_the_key_is_not_echoed_after_a_duplicate_label(alice, alice_client, make_credential):
    make_credential(alice, "Taken", api_key="first_key_abcdefgh")

    response = alice_client.post(
        reverse("customers_ui:credential_create"),
        {"label": "Taken", "partner_uuid": str(PARTNER_UUID), "api_key": SECRET_KEY_ALICE},
    )

    assert response.status_code == 400
    assert_no_key(response.text)


def test_the_success_message_shows_only_the_hint(alice, alice_client):
    response = alice_client.post(
        reverse("customers_ui:credential_create"),
        {"label": "EU", "partner_uuid": str(PARTNER_UUID), "api_key": SECRET_KEY_ALICE},
        follow=True,
    )

    assert f"key …{SECRET_KEY_ALICE[-4:]}" in response.text
    assert_no_key(response.text)


def test_pages_with_credentials_are_not_cached(alice, alice_client, make_credential):
    credential = make_credential(alice)

    response = alice_client.get(reverse("customers_ui:credential_edit", args=[credential.pk]))

    assert "no-store" in response["Cache-Control"]
