"""A team credential's business scope, checked before any call to Thredfi (issue #22).

An agent whose only credential is the team's, scoped to the GBP business: the home page lists
only that business, a customer there opens, and every way into another business is a 403 page
naming the team and the credential, with no request to Thredfi (the sandbox counts them).
"""

from __future__ import annotations

import pytest

from customers_ui.models import LookupEvent
from sandbox.demo import (
    BUSINESS_EUR,
    BUSINESS_GBP,
    BUSINESSES,
    DEMO_CUSTOMER_ID,
    DEMO_INVOICE_DOCUMENT_ID,
)

from .conftest import TEAM_LABEL, TEAM_NAME

pytestmark = pytest.mark.django_db

ACT = {"HTTP_SEC_FETCH_SITE": "none"}  # a /go link that may act at once
OTHER_CUSTOMER = "00000000-0000-4000-8000-000000000001"


def calls(sandbox) -> int:
    return sandbox.stats()["total_requests"]


def assert_refused(response, sandbox) -> None:
    assert response.status_code == 403
    text = response.content.decode()
    assert TEAM_NAME in text and TEAM_LABEL in text
    assert "outside your credential" in text
    assert calls(sandbox) == 0


def test_home_lists_only_the_business_in_scope(agent_client, thredfi_sandbox) -> None:
    response = agent_client.get("/")

    assert response.status_code == 200
    text = response.content.decode()
    assert BUSINESSES[BUSINESS_GBP].legal_name.replace("&", "&amp;") in text
    for other in BUSINESSES.values():
        if other.id != BUSINESS_GBP:
            assert other.legal_name not in text
    assert f"shared by {TEAM_NAME}" in text


def test_a_customer_in_scope_opens(agent_client, thredfi_sandbox) -> None:
    response = agent_client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")

    assert response.status_code == 200
    event = LookupEvent.objects.get()
    assert (event.credential_label, event.credential_kind, event.team_name) == (
        TEAM_LABEL,
        "team",
        TEAM_NAME,
    )


@pytest.mark.parametrize(
    "path",
    [
        f"/customers/{BUSINESS_EUR}/{OTHER_CUSTOMER}/",
        f"/customers/{BUSINESS_EUR}/",
        f"/customers/{BUSINESS_EUR}/?q=anyone",
        f"/customers/{BUSINESS_EUR}/{OTHER_CUSTOMER}/documents/{DEMO_INVOICE_DOCUMENT_ID}/",
        f"/search/?business={BUSINESS_EUR}&q=anyone",
        f"/lookup/?ref={BUSINESS_EUR}/{OTHER_CUSTOMER}",
        f"/lookup/?ref=http://x.example/customers/{BUSINESS_EUR}/{OTHER_CUSTOMER}/",
        f"/lookup/?ref={OTHER_CUSTOMER}&business={BUSINESS_EUR}",
        f"/lookup/?ref=someone&business={BUSINESS_EUR}",
        f"/businesses/?q={BUSINESS_EUR}",
        f"/businesses/?q={BUSINESS_EUR}&format=json",
    ],
    ids=[
        "detail",
        "list",
        "list-search",
        "download",
        "home-search",
        "pasted-pair",
        "pasted-url",
        "pasted-id-with-business",
        "pasted-text-with-business",
        "business-search-pasted-id",
        "business-finder-pasted-id",
    ],
)
def test_every_entry_point_refuses_another_business_without_calling_thredfi(
    agent_client, thredfi_sandbox, path
) -> None:
    assert_refused(agent_client.get(path), thredfi_sandbox)


@pytest.mark.parametrize(
    "params",
    [
        {"business": BUSINESS_EUR, "customer": OTHER_CUSTOMER},
        {"business": BUSINESS_EUR, "customer": "someone@example.com"},
        {"business": BUSINESS_EUR},
    ],
    ids=["customer-uuid", "customer-email", "business-only"],
)
def test_a_go_link_to_another_business_is_refused_without_calling_thredfi(
    agent_client, thredfi_sandbox, params
) -> None:
    assert_refused(agent_client.get("/go", params, **ACT), thredfi_sandbox)


def test_a_refused_lookup_is_audited_as_outside_the_scope(agent_client, thredfi_sandbox) -> None:
    agent_client.get(f"/customers/{BUSINESS_EUR}/{OTHER_CUSTOMER}/")

    event = LookupEvent.objects.get()
    assert (event.outcome, event.http_status, event.team_name) == ("outside_scope", 403, TEAM_NAME)


def test_the_directory_lists_only_the_businesses_in_scope(agent_client, thredfi_sandbox) -> None:
    agent_client.get("/")  # opens (and, for three businesses, fills) the directory

    found = agent_client.get("/businesses/", {"q": "", "format": "json"}).json()

    names = {row["name"] if "name" in row else row.get("legal_name") for row in found["results"]}
    assert names == {BUSINESSES[BUSINESS_GBP].legal_name}


def test_a_search_outside_the_scope_says_so_not_that_the_partner_lacks_it(
    agent_client, thredfi_sandbox
) -> None:
    agent_client.get("/")
    other = BUSINESSES[BUSINESS_EUR].legal_name

    page = agent_client.get("/businesses/", {"q": other}).content.decode()

    assert "partner&#x27;s directory" not in page and "partner's directory" not in page
    assert "among the 1 business" in page and TEAM_LABEL in page


def test_an_all_business_team_credential_reaches_every_business(
    agent, login, thredfi_sandbox
) -> None:
    from .conftest import make_team_credential

    make_team_credential(team_name="Everything", label="All of it", members=(agent,))
    client = login(agent)

    assert client.get(f"/customers/{BUSINESS_EUR}/").status_code == 200


def test_a_go_link_naming_another_business_by_legal_name_is_refused(
    agent_client, thredfi_sandbox
) -> None:
    agent_client.get("/")  # the directory is known (and the credential's access proven)
    thredfi_sandbox.reset()

    response = agent_client.get(
        "/go", {"business": BUSINESSES[BUSINESS_EUR].legal_name, "customer": "someone"}, **ACT
    )

    assert_refused(response, thredfi_sandbox)
