"""The credentials pages as a support person uses them: list, add, edit, re-key, delete, use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customers_ui.credentials import selectors
from customers_ui.models import PartnerCredential

from .conftest import PARTNER_UUID, SECRET_KEY_ALICE

pytestmark = pytest.mark.django_db

LIST_URL = reverse("customers_ui:credential_list")
CREATE_URL = reverse("customers_ui:credential_create")


def test_list_needs_login(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_empty_list_invites_to_add_one(alice_client):
    response = alice_client.get(LIST_URL)

    assert response.status_code == 200
    assert "No credentials yet" in response.text
    assert 'aria-current="page"' in response.text  # the Credentials link is highlighted


def test_list_shows_label_partner_hint_default_and_actions(alice, alice_client, make_credential):
    credential = make_credential(alice, "EU production")
    make_credential(alice, "Staging", api_key="staging_key_00001234")

    response = alice_client.get(LIST_URL)

    page = response.text
    assert response.status_code == 200
    assert "EU production" in page
    assert str(PARTNER_UUID) in page
    assert f"…{SECRET_KEY_ALICE[-4:]}" in page
    assert "…1234" in page
    assert "Default" in page
    assert "Never" in page  # never tested yet
    assert '<th scope="col">Label</th>' in page
    for name in ("credential_test", "credential_edit", "credential_key", "credential_delete"):
        assert reverse(f"customers_ui:{name}", args=[credential.pk]) in page
    assert "Use for lookups" in page


def test_create_page_has_a_write_only_key_field(alice_client):
    response = alice_client.get(CREATE_URL)

    page = response.text
    assert response.status_code == 200
    assert '<label for="id_api_key">API key</label>' in page
    assert 'type="password"' in page
    assert 'autocomplete="off"' in page


def test_create_saves_and_returns_to_the_list(alice, alice_client):
    response = alice_client.post(
        CREATE_URL,
        {"label": "EU production", "partner_uuid": str(PARTNER_UUID), "api_key": SECRET_KEY_ALICE},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == LIST_URL
    assert "Saved “EU production”" in response.text
    credential = PartnerCredential.objects.get(owner=alice)
    assert credential.is_default
    assert credential.get_api_key() == SECRET_KEY_ALICE
    assert SECRET_KEY_ALICE not in response.text


def test_create_strips_whitespace_around_a_pasted_key(alice, alice_client):
    alice_client.post(
        CREATE_URL,
        {
            "label": "Pasted",
            "partner_uuid": str(PARTNER_UUID),
            "api_key": f"  {SECRET_KEY_ALICE}\n",
        },
    )

    assert PartnerCredential.objects.get(owner=alice).get_api_key() == SECRET_KEY_ALICE


def test_create_from_the_first_visit_goes_back_home(alice_client):
    page = alice_client.get(f"{CREATE_URL}?next=/")
    assert 'name="next" value="/"' in page.text

    response = alice_client.post(
        CREATE_URL,
        {
            "label": "First",
            "partner_uuid": str(PARTNER_UUID),
            "api_key": SECRET_KEY_ALICE,
            "next": "/",
        },
    )

    assert response.status_code == 302
    assert response.url == "/"


def test_create_ignores_an_offsite_next(alice_client):
    response = alice_client.post(
        CREATE_URL,
        {
            "label": "First",
            "partner_uuid": str(PARTNER_UUID),
            "api_key": SECRET_KEY_ALICE,
            "next": "https://evil.example/",
        },
    )

    assert response.url == LIST_URL


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("partner_uuid", "not-a-uuid", "Enter a valid UUID."),
        ("api_key", "short", "too short for a Thredfi API key"),
        ("api_key", "two words_long_enough", "have no spaces"),
        ("label", "", "This field is required."),
    ],
)
def test_create_explains_bad_input(alice, alice_client, field, value, message):
    data = {"label": "EU", "partner_uuid": str(PARTNER_UUID), "api_key": SECRET_KEY_ALICE}
    data[field] = value

    response = alice_client.post(CREATE_URL, data)

    assert response.status_code == 400
    assert message in response.text
    assert "Please fix the problem below." in response.text
    assert not PartnerCredential.objects.filter(owner=alice).exists()


def test_create_with_a_taken_label_says_so(alice, alice_client, make_credential):
    make_credential(alice, "EU production")

    response = alice_client.post(
        CREATE_URL,
        {"label": "eu production", "partner_uuid": str(PARTNER_UUID), "api_key": SECRET_KEY_ALICE},
    )

    assert response.status_code == 400
    assert "You already have a credential with this label" in response.text
    assert PartnerCredential.objects.filter(owner=alice).count() == 1


def test_edit_renames(alice, alice_client, make_credential):
    credential = make_credential(alice, "Old name")
    url = reverse("customers_ui:credential_edit", args=[credential.pk])

    page = alice_client.get(url)
    assert 'value="Old name"' in page.text
    assert f"…{credential.api_key_hint}" in page.text

    response = alice_client.post(url, {"label": "New name", "make_default": "on"}, follow=True)

    assert "Saved “New name”" in response.text
    credential.refresh_from_db()
    assert credential.label == "New name"


def test_edit_can_make_another_credential_the_default(alice, alice_client, make_credential):
    first = make_credential(alice, "First")
    second = make_credential(alice, "Second")
    url = reverse("customers_ui:credential_edit", args=[second.pk])

    assert "Make this my default credential" in alice_client.get(url).text
    alice_client.post(url, {"label": "Second", "make_default": "on"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_default and not first.is_default


def test_edit_of_the_default_explains_how_to_move_it(alice, alice_client, make_credential):
    credential = make_credential(alice, "Only")

    response = alice_client.get(reverse("customers_ui:credential_edit", args=[credential.pk]))

    assert "This is your default credential" in response.text


def test_edit_to_a_taken_label_says_so(alice, alice_client, make_credential):
    make_credential(alice, "First")
    second = make_credential(alice, "Second")

    response = alice_client.post(
        reverse("customers_ui:credential_edit", args=[second.pk]), {"label": "First"}
    )

    assert response.status_code == 400
    assert "You already have a credential with this label" in response.text


def test_replace_key(alice, alice_client, make_credential):
    credential = make_credential(alice)
    url = reverse("customers_ui:credential_key", args=[credential.pk])

    page = alice_client.get(url)
    assert f"…{credential.api_key_hint}" in page.text
    assert "The current key stays in place unless the new one is saved." in page.text

    response = alice_client.post(url, {"api_key": "replacement_key_00009999"}, follow=True)

    assert "Replaced the API key of “Production” (now …9999)" in response.text
    credential.refresh_from_db()
    assert credential.get_api_key() == "replacement_key_00009999"


def test_replace_key_with_bad_input_keeps_the_old_key(alice, alice_client, make_credential):
    credential = make_credential(alice)
    before = credential.api_key_encrypted

    response = alice_client.post(
        reverse("customers_ui:credential_key", args=[credential.pk]), {"api_key": "short"}
    )

    assert response.status_code == 400
    assert "too short" in response.text
    credential.refresh_from_db()
    assert credential.api_key_encrypted == before
    assert credential.get_api_key() == SECRET_KEY_ALICE


def test_delete_asks_then_deletes(alice, alice_client, make_credential):
    credential = make_credential(alice, "Going away")
    url = reverse("customers_ui:credential_delete", args=[credential.pk])

    confirm = alice_client.get(url)
    assert confirm.status_code == 200
    assert "Delete “Going away”?" in confirm.text
    assert "data-confirm=" not in confirm.text  # the page is the confirmation: ask once
    assert PartnerCredential.objects.filter(pk=credential.pk).exists()

    response = alice_client.post(url, follow=True)

    assert "Deleted “Going away”." in response.text
    assert "No credentials yet" in response.text
    assert not PartnerCredential.objects.filter(pk=credential.pk).exists()


def test_delete_of_the_default_hands_it_on(alice, alice_client, make_credential):
    default = make_credential(alice, "A")
    other = make_credential(alice, "B")

    alice_client.post(reverse("customers_ui:credential_delete", args=[default.pk]))

    other.refresh_from_db()
    assert other.is_default


def test_use_for_lookups_switches_the_session_and_goes_back(alice, alice_client, make_credential):
    make_credential(alice, "First")
    second = make_credential(alice, "Second")
    url = reverse("customers_ui:credential_activate", args=[second.pk])

    response = alice_client.post(url, {"next": LIST_URL})

    assert response.status_code == 302
    assert response.url == LIST_URL
    assert alice_client.session[selectors.ACTIVE_CREDENTIAL_SESSION_KEY] == second.pk
    page = alice_client.get(LIST_URL).text
    assert "Looking up with “Second”." in page
    assert "In use" in page


def test_use_for_lookups_refuses_an_offsite_next(alice, alice_client, make_credential):
    credential = make_credential(alice)

    response = alice_client.post(
        reverse("customers_ui:credential_activate", args=[credential.pk]),
        {"next": "//evil.example/"},
    )

    assert response.url == reverse("customers_ui:home")


def test_switching_credentials_needs_post(alice, alice_client, make_credential):
    credential = make_credential(alice)

    response = alice_client.get(reverse("customers_ui:credential_activate", args=[credential.pk]))

    assert response.status_code == 405


def test_reloading_a_test_result_offers_to_run_it_again(alice, alice_client, make_credential):
    credential = make_credential(alice)

    response = alice_client.get(reverse("customers_ui:credential_test", args=[credential.pk]))

    assert response.status_code == 200
    assert "Run the test" in response.text
    credential.refresh_from_db()
    assert credential.last_verified_at is None  # nothing was sent to Thredfi
