"""A business the active credential cannot open: the page offers the person's credential that can.

Ada looks up with the demo partner; a colleague's link names a business of the big partner, whose
credential she also holds. Before, she got "No such business" and nothing else.
"""

from __future__ import annotations

import html as html_lib
import re
import uuid

import pytest
from django.conf import settings
from django.utils import timezone

from customers_ui.directory.writer import directory_store_page
from customers_ui.models import BusinessDirectory, LookupEvent
from customers_ui.thredfi import Business
from sandbox.demo import (
    BIG_API_KEY,
    BIG_PARTNER_UUID,
    BIG_ZEPHYR_BUSINESS_ID,
    BIG_ZEPHYR_NAME,
    BUSINESS_EUR,
    BUSINESS_GBP,
    DEMO_PARTNER_UUID,
)
from tests.factories import make_credential

pytestmark = pytest.mark.django_db

ZEPHYR = uuid.UUID(BIG_ZEPHYR_BUSINESS_ID)
OFFER = re.compile(
    r'<form method="post" action="([^"]+)" class="problem-action">.*?'
    r'name="next" value="([^"]*)".*?<p>(.*?) <button[^>]*>(.*?)</button>',
    re.S,
)


def _listed(partner_uuid: str, business_id: uuid.UUID | str, name: str) -> None:
    """The partner's business directory lists the business, as after a sync."""
    directory, _ = BusinessDirectory.objects.get_or_create(
        partner_uuid=partner_uuid, base_url=settings.THREDFI_BASE_URL
    )
    directory_store_page(
        directory=directory,
        businesses=[Business(id=uuid.UUID(str(business_id)), legal_name=name, currency="GBP")],
        seen_at=timezone.now(),
    )


def _offers(response) -> list[tuple[str, str, str, str]]:
    """(action, next, note, button) of each credential the page offers."""
    return [
        tuple(html_lib.unescape(part) for part in found)
        for found in OFFER.findall(response.content.decode())
    ]


@pytest.fixture
def big(support_user):
    """Ada's second credential, for the big partner (not her default)."""
    return make_credential(
        support_user, "Big partner", api_key=BIG_API_KEY, partner_uuid=BIG_PARTNER_UUID
    )


@pytest.mark.parametrize(
    "path",
    [
        f"/customers/{ZEPHYR}/",
        f"/customers/{ZEPHYR}/?q=quarry",
        f"/customers/{ZEPHYR}/{uuid.UUID(int=7)}/",
        f"/go?business={ZEPHYR}&customer=someone%40example.com",
    ],
    ids=["list", "search", "detail", "go"],
)
def test_a_business_of_another_credential_is_offered_with_it(staff_client, big, path) -> None:
    _listed(BIG_PARTNER_UUID, ZEPHYR, BIG_ZEPHYR_NAME)
    response = staff_client.get(path, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 404
    assert "No such business" in response.text
    assert _offers(response) == [
        (
            f"/credentials/{big.pk}/activate/",
            path,
            f"“{BIG_ZEPHYR_NAME}” is a business of your credential “Big partner”.",
            "Open it with Big partner",
        )
    ]
    # The failed attempt is audited as before, with the credential that failed.
    event = LookupEvent.objects.get()
    assert (event.outcome, event.credential_label) == ("not_found", "Sandbox")


def test_the_offered_button_switches_and_comes_back_to_the_business(staff_client, big) -> None:
    _listed(BIG_PARTNER_UUID, ZEPHYR, BIG_ZEPHYR_NAME)
    path = f"/customers/{ZEPHYR}/"
    ((action, next_url, _, _),) = _offers(staff_client.get(path))

    switched = staff_client.post(action, {"next": next_url})
    assert (switched.status_code, switched["Location"]) == (302, path)
    opened = staff_client.get(path)
    assert opened.status_code == 200
    assert BIG_ZEPHYR_NAME in opened.text
    assert LookupEvent.objects.filter(credential_label="Big partner", outcome="ok").count() == 1


def test_nothing_is_offered_that_the_person_does_not_hold_or_has_not_seen(
    staff_client, support_user, bob
) -> None:
    # Bob holds the big partner and its directory lists the business: not Ada's to use.
    make_credential(bob, "Bob's big", api_key=BIG_API_KEY, partner_uuid=BIG_PARTNER_UUID)
    _listed(BIG_PARTNER_UUID, ZEPHYR, BIG_ZEPHYR_NAME)
    response = staff_client.get(f"/customers/{ZEPHYR}/")
    assert response.status_code == 404
    assert _offers(response) == []
    # Ada's own big-partner credential, but no directory of it lists this business.
    make_credential(support_user, "Big", api_key=BIG_API_KEY, partner_uuid=BIG_PARTNER_UUID)
    other = uuid.UUID(int=12)
    response = staff_client.get(f"/customers/{other}/")
    assert response.status_code == 404 and _offers(response) == []


def test_another_credential_of_the_same_partner_is_not_offered_for_a_business_it_lacks(
    staff_client, support_user
) -> None:
    """Thredfi said this partner has no such business: a stale directory row of the same
    partner must not send Ada round in circles."""
    make_credential(support_user, "Sandbox again")
    gone = uuid.UUID(int=99)
    _listed(DEMO_PARTNER_UUID, gone, "Gone Ltd")
    response = staff_client.get(f"/customers/{gone}/")
    assert response.status_code == 404
    assert _offers(response) == []


def test_a_business_outside_a_team_scope_offers_the_credential_that_covers_it(
    client, support_user, credential, thredfi_sandbox
) -> None:
    from tests.teams.conftest import make_team_credential

    team = make_team_credential(scope=[BUSINESS_GBP], members=(support_user,))
    _listed(DEMO_PARTNER_UUID, BUSINESS_EUR, "Müller Holzbau GmbH")
    client.force_login(support_user)
    client.post(f"/credentials/{team.pk}/activate/")
    response = client.get(f"/customers/{BUSINESS_EUR}/")
    assert response.status_code == 403
    assert thredfi_sandbox.stats()["total_requests"] == 0  # the scope refused it first
    ((action, next_url, note, button),) = _offers(response)
    assert (action, next_url, button) == (
        f"/credentials/{credential.pk}/activate/",
        f"/customers/{BUSINESS_EUR}/",
        "Open it with Sandbox",
    )
    assert note == "“Müller Holzbau GmbH” is a business of your credential “Sandbox”."
    # And back: a personal credential's 404 never offers a team credential scoped elsewhere.
    client.post(f"/credentials/{credential.pk}/activate/")
    assert _offers(client.get(f"/customers/{uuid.UUID(int=5)}/")) == []
