"""Another user's credential id is a 404 on every credential route, for GET and POST alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customers_ui.credentials import selectors
from customers_ui.models import PartnerCredential

from .conftest import SECRET_KEY_BOB

pytestmark = pytest.mark.django_db

ROUTES_WITH_PAGES = ["credential_edit", "credential_key", "credential_delete", "credential_test"]
POST_ONLY_ROUTES = ["credential_activate"]

POST_DATA = {"label": "Hijacked", "make_default": "on", "api_key": "attacker_key_12345678"}


@pytest.fixture
def bobs(bob, make_credential) -> PartnerCredential:
    return make_credential(bob, "Bob's", api_key=SECRET_KEY_BOB)


@pytest.mark.parametrize("name", ROUTES_WITH_PAGES + POST_ONLY_ROUTES)
def test_post_to_someone_elses_credential_is_404_and_changes_nothing(alice_client, bobs, name):
    before = PartnerCredential.objects.values().get(pk=bobs.pk)

    response = alice_client.post(reverse(f"customers_ui:{name}", args=[bobs.pk]), POST_DATA)

    assert response.status_code == 404
    assert PartnerCredential.objects.values().get(pk=bobs.pk) == before
    assert "Bob&#x27;s" not in response.text
    assert selectors.ACTIVE_CREDENTIAL_SESSION_KEY not in alice_client.session


@pytest.mark.parametrize("name", ROUTES_WITH_PAGES)
def test_get_of_someone_elses_credential_is_404(alice_client, bobs, name):
    response = alice_client.get(reverse(f"customers_ui:{name}", args=[bobs.pk]))

    assert response.status_code == 404
    assert "Bob&#x27;s" not in response.text


@pytest.mark.parametrize("name", POST_ONLY_ROUTES)
def test_get_of_a_post_only_route_is_405_for_anyone(alice_client, bobs, name):
    # 405 is decided before the lookup, so it says nothing about whose id it is.
    response = alice_client.get(reverse(f"customers_ui:{name}", args=[bobs.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize("name", ROUTES_WITH_PAGES + POST_ONLY_ROUTES)
def test_someone_elses_id_looks_exactly_like_a_missing_one(alice_client, bobs, name):
    theirs = alice_client.post(reverse(f"customers_ui:{name}", args=[bobs.pk]), POST_DATA)
    missing = alice_client.post(reverse(f"customers_ui:{name}", args=[bobs.pk + 1000]), POST_DATA)

    assert theirs.status_code == missing.status_code == 404


def test_the_list_shows_only_my_credentials(alice, alice_client, bobs, make_credential):
    make_credential(alice, "Alice's own")

    page = alice_client.get(reverse("customers_ui:credential_list")).text

    assert "Alice&#x27;s own" in page
    assert "Bob&#x27;s" not in page
    assert f"…{bobs.api_key_hint}" not in page
