"""Home, search results and the paste box."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from customers_ui.models import LookupEvent, PartnerCredential
from sandbox.demo import BUSINESS_EUR, BUSINESS_GBP, BUSINESS_USD, DEMO_CUSTOMER_ID
from tests.factories import make_credential


def test_home_lists_the_partners_businesses_with_currencies(staff_client) -> None:
    response = staff_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Harbour &amp; Finch Ltd (GBP)" in html
    assert "(EUR)" in html
    assert "(USD)" in html
    assert "Customers you open will be listed here." in html


def test_a_user_without_credentials_is_sent_to_add_one(
    client, support_user, thredfi_sandbox
) -> None:
    PartnerCredential.objects.all().delete()
    client.force_login(support_user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/credentials/new/")
    assert thredfi_sandbox.stats()["total_requests"] == 0


def test_search_redirects_to_a_bookmarkable_results_page(staff_client) -> None:
    response = staff_client.get("/search/", {"business": BUSINESS_GBP, "q": "cobalt"})
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{BUSINESS_GBP}/?q=cobalt"
    results = staff_client.get(response["Location"])
    assert results.status_code == 200
    html = results.content.decode()
    assert "Cobalt Kitchens Ltd" in html
    assert f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/" in html
    assert "£1,234.56" in html


def test_search_by_email_and_reference(staff_client) -> None:
    for query in ("ada@cobaltkitchens.example", "CUST-0001", "crm-0001"):
        html = staff_client.get(f"/customers/{BUSINESS_GBP}/", {"q": query}).content.decode()
        assert "Cobalt Kitchens Ltd" in html, query


@pytest.mark.parametrize(
    "copied",
    [
        "mailto:ada@cobaltkitchens.example",
        "MAILTO:ada@cobaltkitchens.example?subject=Statement%20query",
        "mailto:ada%40cobaltkitchens.example",
    ],
)
def test_an_email_link_copied_from_a_ticket_searches_for_its_address(staff_client, copied) -> None:
    """Helpdesks and mail clients copy an address as a `mailto:` link: the address is meant."""
    html = staff_client.get(f"/customers/{BUSINESS_GBP}/", {"q": copied}).content.decode()
    assert "Cobalt Kitchens Ltd" in html
    assert "Customers matching “ada@cobaltkitchens.example”" in html
    pasted = staff_client.get("/lookup/", {"ref": copied, "business": BUSINESS_GBP})
    assert pasted["Location"].startswith(f"/customers/{BUSINESS_GBP}/?q=")
    assert "Cobalt Kitchens Ltd" in staff_client.get(pasted["Location"]).content.decode()


def test_results_paginate(staff_client) -> None:
    first = staff_client.get(f"/customers/{BUSINESS_GBP}/").content.decode()
    assert "Page 1 of" in first
    assert 'rel="next"' in first
    second = staff_client.get(f"/customers/{BUSINESS_GBP}/", {"page": 2}).content.decode()
    assert "Page 2 of" in second
    rows = lambda html: set(re.findall(r"/customers/[0-9a-f-]{36}/([0-9a-f-]{36})/", html))  # noqa: E731
    assert rows(first) and rows(second) and not rows(first) & rows(second)


def test_an_empty_search_says_so(staff_client) -> None:
    response = staff_client.get(f"/customers/{BUSINESS_GBP}/", {"q": "zzzz-no-such-customer"})
    assert response.status_code == 200
    assert "No customers found" in response.content.decode()


def test_searches_are_audited_and_the_business_remembered(staff_client, credential) -> None:
    staff_client.get(f"/customers/{BUSINESS_USD}/", {"q": "supply"})
    event = LookupEvent.objects.get()
    assert (event.action, event.outcome, event.query) == ("search", "ok", "supply")
    credential.refresh_from_db()
    assert str(credential.last_business_id) == BUSINESS_USD
    home = staff_client.get("/").content.decode()
    assert re.search(rf'<option value="{BUSINESS_USD}" selected>', home)


def test_bad_search_input_is_a_400_before_any_upstream_call(staff_client, thredfi_sandbox) -> None:
    assert staff_client.get("/search/", {"business": "nope", "q": "x"}).status_code == 400
    assert staff_client.get(f"/customers/{BUSINESS_GBP}/", {"q": "x" * 201}).status_code == 400
    assert staff_client.get(f"/customers/{BUSINESS_GBP}/", {"page": "abc"}).status_code == 400
    assert staff_client.get(f"/customers/{BUSINESS_GBP}/", {"page": "0"}).status_code == 400
    assert thredfi_sandbox.stats()["total_requests"] == 0


def test_paste_a_dashboard_or_api_url(staff_client) -> None:
    pasted = f"https://lookup.example.com/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
    response = staff_client.get("/lookup/", {"ref": pasted})
    assert response["Location"] == f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
    api_path = f"/v1/platform/businesses/{BUSINESS_GBP}/customers/{DEMO_CUSTOMER_ID}/"
    assert staff_client.get("/lookup/", {"ref": api_path})["Location"].endswith(
        f"/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
    )


def test_paste_a_business_page_opens_its_customer_list(staff_client) -> None:
    """A business's page (ours or Thredfi's) names a business: its customer list, not a
    customer whose id is the business's."""
    for pasted in (
        f"https://lookup.example.com/customers/{BUSINESS_GBP}/",
        f"/v1/platform/businesses/{BUSINESS_GBP}/customers/",
    ):
        response = staff_client.get("/lookup/", {"ref": pasted, "business": BUSINESS_EUR})
        assert response["Location"] == f"/customers/{BUSINESS_GBP}/"


def test_paste_a_bare_customer_id_uses_the_picked_business(staff_client) -> None:
    response = staff_client.get(
        "/lookup/", {"ref": f"  {DEMO_CUSTOMER_ID.upper()}  ", "business": BUSINESS_GBP}
    )
    assert response["Location"] == f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"


def test_paste_plain_text_becomes_a_search(staff_client) -> None:
    response = staff_client.get("/lookup/", {"ref": "Cobalt", "business": BUSINESS_GBP})
    assert response["Location"] == f"/customers/{BUSINESS_GBP}/?q=Cobalt"


def test_paste_without_an_id_or_business_is_a_400(staff_client) -> None:
    assert staff_client.get("/lookup/", {"ref": "hello"}).status_code == 400
    assert staff_client.get("/lookup/", {"ref": DEMO_CUSTOMER_ID}).status_code == 400


def test_recent_lookups_are_the_users_own(staff_client, support_user) -> None:
    staff_client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")
    html = staff_client.get("/").content.decode()
    assert "Cobalt Kitchens Ltd" in html

    other = get_user_model().objects.create_user("bob", password="another-long-password-2")
    make_credential(other)
    staff_client.force_login(other)
    assert "Cobalt Kitchens Ltd" not in staff_client.get("/").content.decode()


def test_wrong_api_key_shows_how_to_fix_it(client, support_user, thredfi_sandbox) -> None:
    make_credential(support_user, label="Broken", api_key="definitely-not-the-key")
    client.force_login(support_user)
    response = client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Thredfi refused your credentials" in html
    assert "/credentials/" in html
    assert "definitely-not-the-key" not in html


def test_a_page_past_the_end_says_so(staff_client) -> None:
    response = staff_client.get(f"/customers/{BUSINESS_GBP}/", {"page": 999})
    assert response.status_code == 404
    html = response.content.decode()
    assert "No such page" in html
    assert "No such customer" not in html


def test_recent_lookups_name_the_business(staff_client) -> None:
    staff_client.get(f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/")
    recent = staff_client.get("/").content.decode().split("My recent lookups")[1]
    assert "Cobalt Kitchens Ltd" in recent
    assert "Harbour &amp; Finch Ltd" in recent
    assert "now" in recent


def test_the_list_and_the_detail_page_agree_on_status_and_name(rf, support_user) -> None:
    """One lifecycle and one name rule: a PENDING individual is Pending and named everywhere."""
    import uuid

    from django.template.loader import render_to_string

    from customers_ui.lookup.services import SearchResult
    from customers_ui.thredfi import Business, Customer, CustomerPage

    business = Business(id=uuid.uuid4(), legal_name="Harbour", currency="GBP")
    pending = Customer.from_api(
        {
            "id": str(uuid.uuid4()),
            "status": "PENDING",
            "is_active": True,
            "display_name": None,
            "individual_name": "Priya Raman",
        }
    )
    request = rf.get("/")
    request.user = support_user
    html = render_to_string(
        "customers_ui/customer_list.html",
        {"result": SearchResult(business, CustomerPage(results=(pending,), count=1), "")},
        request=request,
    )
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "Priya Raman" in row
    assert ">Pending</span>" in row
    assert "Active" not in row


def test_an_individual_only_customer_is_named_in_recent_lookups(staff_client) -> None:
    from sandbox.demo import INDIVIDUAL_ONLY_CUSTOMER_ID, INDIVIDUAL_ONLY_NAME

    detail = staff_client.get(f"/customers/{BUSINESS_GBP}/{INDIVIDUAL_ONLY_CUSTOMER_ID}/")
    assert f"<h1>{INDIVIDUAL_ONLY_NAME}" in detail.text

    home = staff_client.get("/").text
    recent = home[home.index('id="recent-heading"') :]
    assert f">{INDIVIDUAL_ONLY_NAME}</a>" in recent
    assert INDIVIDUAL_ONLY_CUSTOMER_ID not in recent.split("</a>")[0].split(">")[-1]


def test_a_pending_customer_is_pending_in_the_list_and_on_its_page(staff_client) -> None:
    from sandbox.demo import PENDING_CUSTOMER_ID, PENDING_NAME

    listing = staff_client.get(f"/customers/{BUSINESS_GBP}/", {"q": "Larkspur"}).text
    row = listing[listing.index(PENDING_CUSTOMER_ID) :].split("</tr>")[0]
    assert PENDING_NAME in row
    assert ">Pending</span>" in row
    detail = staff_client.get(f"/customers/{BUSINESS_GBP}/{PENDING_CUSTOMER_ID}/").text
    assert ">Pending</span>" in detail


def test_a_business_name_typed_with_other_punctuation_is_found(staff_client) -> None:
    staff_client.get("/")  # opens (and, for three businesses, fills) the directory

    def found(typed: str) -> set[str]:
        answer = staff_client.get("/businesses/", {"q": typed, "format": "json"}).json()
        return {row.get("name") or row.get("legal_name") for row in answer["results"]}

    for typed in ("Harbour & Finch Ltd.", "harbour&finch", "HARBOUR FINCH"):
        assert found(typed) == {"Harbour & Finch Ltd"}, typed
    assert found("%") == set()  # punctuation alone names nothing (not "everything")
