"""`/go` deep links over real HTTP (the sandbox): every outcome, with the calls each costs.

Requests carry `Sec-Fetch-Site: none` (a link opened from the helpdesk's desktop app, or typed)
so they act at once; the guard itself is tests/lookup/test_go_cross_site.py.
"""

from __future__ import annotations

import re
import uuid
from html import unescape

import pytest
from django.utils import timezone

from customers_ui.directory.search_keys import search_key
from customers_ui.models import BusinessDirectory, DirectoryBusiness, LookupEvent
from sandbox import faults
from sandbox.demo import (
    BIG_ZEPHYR_BUSINESS_ID,
    BUSINESS_GBP,
    DEMO_API_KEY,
    DEMO_CUSTOMER_ID,
    DEMO_PARTNER_UUID,
)

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"
ACT = {"HTTP_SEC_FETCH_SITE": "none"}


def go(client, **params):
    return client.get("/go", params, **ACT)


def calls(sandbox, route: str | None = None) -> int:
    stats = sandbox.stats()
    return stats["total_requests"] if route is None else stats["requests"][route]


# -- one customer: its page, in one redirect ----------------------------------------------------


def test_a_customer_uuid_redirects_without_any_call_and_its_page_is_the_lookup(
    staff_client, thredfi_sandbox
) -> None:
    response = go(staff_client, business=BUSINESS_GBP, customer=DEMO_CUSTOMER_ID, ticket="ZD-7")
    assert response.status_code == 302
    assert response["Location"] == DETAIL
    assert calls(thredfi_sandbox) == 0
    assert LookupEvent.objects.count() == 0
    page = staff_client.get(response["Location"])
    assert page.status_code == 200
    assert calls(thredfi_sandbox, "get_customer") == 1


@pytest.mark.parametrize(
    "customer",
    [
        "ada@cobaltkitchens.example",
        "ADA@CobaltKitchens.example",
        "CUST-0001",
        "crm-0001",
        "mailto:ada@cobaltkitchens.example",
    ],
    ids=["email", "email-any-case", "reference", "external-id", "mailto-link"],
)
def test_an_email_reference_or_external_id_with_one_match_redirects_after_one_search(
    staff_client, thredfi_sandbox, customer
) -> None:
    response = go(staff_client, business=BUSINESS_GBP, customer=customer)
    assert response.status_code == 302
    assert response["Location"] == DETAIL
    assert calls(thredfi_sandbox, "list_customers") == 1
    assert calls(thredfi_sandbox, "get_customer") == 0
    event = LookupEvent.objects.get()
    searched = customer.removeprefix("mailto:")  # the address a copied e-mail link means
    assert (event.action, event.outcome, event.query) == ("search", "ok", searched)


def test_a_pasted_dashboard_or_thredfi_url_names_business_and_customer(
    staff_client, thredfi_sandbox
) -> None:
    for pasted in (
        f"https://dashboard.example/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/",
        f"https://api.thredfi.example/v1/platform/businesses/{BUSINESS_GBP}/customers/"
        f"{DEMO_CUSTOMER_ID}/",
    ):
        response = go(staff_client, customer=pasted)
        assert response.status_code == 302
        assert response["Location"] == DETAIL  # our own path, whatever host was pasted
    assert calls(thredfi_sandbox) == 0


@pytest.mark.parametrize(
    "pasted",
    [
        f"https://dashboard.example/customers/{BUSINESS_GBP}/",
        f"https://dashboard.example/customers/{BUSINESS_GBP}/?q=ada&page=2",
        f"https://api.thredfi.example/v1/platform/businesses/{BUSINESS_GBP}/",
        f"https://api.thredfi.example/v1/platform/businesses/{BUSINESS_GBP}/customers/",
        f"/customers/{BUSINESS_GBP}",
    ],
    ids=["dashboard", "dashboard-search", "thredfi", "thredfi-customers", "path"],
)
def test_a_pasted_business_page_as_the_customer_opens_that_business(
    staff_client, thredfi_sandbox, pasted
) -> None:
    """A business's own page pasted where the customer goes names the business, not a customer
    whose id is the business's (which was a 404 after a call to Thredfi)."""
    response = go(staff_client, customer=pasted, ticket="ZD-9")
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{BUSINESS_GBP}/"
    assert calls(thredfi_sandbox) == 0


def test_a_business_by_its_legal_name_in_any_case(staff_client, thredfi_sandbox) -> None:
    response = go(staff_client, business="HARBOUR & FINCH LTD", customer="CUST-0001")
    assert response.status_code == 302
    assert response["Location"] == DETAIL
    assert calls(thredfi_sandbox, "list_customers") == 1
    # The directory's access check: one page of businesses, at most.
    assert calls(thredfi_sandbox, "list_businesses") <= 1


def test_tabs_and_line_breaks_in_a_legal_name_are_spaces(staff_client, thredfi_sandbox) -> None:
    """A helpdesk field copied from a spreadsheet or a signature: whitespace, not a control."""
    response = go(staff_client, business="Harbour &\tFinch\r\nLtd", customer="CUST-0001")
    assert response.status_code == 302
    assert response["Location"] == DETAIL


# -- several, none, or not enough to search -------------------------------------------------------


def test_several_matches_are_all_listed_from_one_search(staff_client, thredfi_sandbox) -> None:
    response = go(staff_client, business=BUSINESS_GBP, customer="Ltd")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Several customers match “Ltd”" in html
    rows = set(re.findall(rf"/customers/{BUSINESS_GBP}/([0-9a-f-]{{36}})/", html))
    assert len(rows) > 1
    assert calls(thredfi_sandbox, "list_customers") == 1
    # The list's own links go to its bookmarkable URL, not back through /go.
    assert re.search(rf'href="/customers/{BUSINESS_GBP}/\?q=Ltd&amp;page=2"', html)
    assert 'action="/customers/' in html


def test_no_match_shows_the_list_with_the_query_and_says_so(staff_client, thredfi_sandbox) -> None:
    response = go(staff_client, business=BUSINESS_GBP, customer="nobody@nowhere.example")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No customer matched" in html
    assert 'value="nobody@nowhere.example"' in html
    assert calls(thredfi_sandbox, "list_customers") == 1


def test_a_business_without_a_customer_opens_its_customer_list(
    staff_client, thredfi_sandbox
) -> None:
    response = go(staff_client, business=BUSINESS_GBP)
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{BUSINESS_GBP}/"
    assert calls(thredfi_sandbox) == 0


def test_a_customer_without_a_business_prefills_the_home_page(
    staff_client, thredfi_sandbox
) -> None:
    response = go(staff_client, customer="ada@cobaltkitchens.example")
    assert response.status_code == 302
    assert response["Location"] == "/?q=ada%40cobaltkitchens.example"
    assert calls(thredfi_sandbox) == 0
    home = staff_client.get(response["Location"]).content.decode()
    assert 'name="q" id="id_q" value="ada@cobaltkitchens.example"' in home
    assert "Pick the customer's business" in unescape(home)  # escaped as &#39; or &#x27;

    by_id = go(staff_client, customer=DEMO_CUSTOMER_ID)
    assert by_id["Location"] == f"/?ref={DEMO_CUSTOMER_ID}"
    home = staff_client.get(by_id["Location"]).content.decode()
    assert f'name="ref" id="id_ref" value="{DEMO_CUSTOMER_ID}"' in home


def _second_business_named(name: str) -> None:
    directory = BusinessDirectory.objects.get()
    DirectoryBusiness.objects.create(
        directory=directory,
        business_id=uuid.uuid4(),
        legal_name=name,
        search_key=search_key(name),  # as the directory's writer stores it
        currency="GBP",
        last_seen_at=timezone.now(),
    )


def test_a_legal_name_several_businesses_share_opens_the_business_search(
    staff_client, thredfi_sandbox
) -> None:
    staff_client.get("/")  # the directory is filled
    _second_business_named("Harbour & Finch Ltd")
    thredfi_sandbox.reset()
    response = go(staff_client, business="harbour & finch ltd", customer="CUST-0001")
    assert response.status_code == 302
    assert response["Location"] == "/businesses/?q=harbour+%26+finch+ltd"
    assert calls(thredfi_sandbox, "list_customers") == 0
    page = staff_client.get(response["Location"]).content.decode()
    assert "Several businesses are called" in page
    assert page.count("Harbour &amp; Finch Ltd") >= 2


def test_a_legal_name_nobody_has_opens_the_business_search(staff_client, thredfi_sandbox) -> None:
    response = go(staff_client, business="Harbour", customer="CUST-0001")  # a part is not a name
    assert response.status_code == 302
    assert response["Location"] == "/businesses/?q=Harbour"
    assert calls(thredfi_sandbox, "list_customers") == 0
    page = staff_client.get(response["Location"]).content.decode()
    assert "No business is called exactly" in page


# -- problems ------------------------------------------------------------------------------------


def test_a_business_the_credential_cannot_see_is_the_usual_problem_page(
    staff_client, thredfi_sandbox
) -> None:
    response = go(staff_client, business=BIG_ZEPHYR_BUSINESS_ID, customer="someone")
    # Another partner's business: Thredfi says it has no such business for this partner.
    assert response.status_code == 404
    assert "No such business" in response.content.decode()
    assert LookupEvent.objects.get().outcome == "not_found"
    assert calls(thredfi_sandbox, "list_customers") == 0


def test_an_upstream_failure_on_the_customer_page_keeps_its_status(
    staff_client, thredfi_sandbox
) -> None:
    response = go(staff_client, business=BUSINESS_GBP, customer=faults.FORBIDDEN)
    assert response.status_code == 302
    page = staff_client.get(response["Location"])
    assert page.status_code == 403
    assert "Thredfi refused access" in page.content.decode()


# -- bad input: a 400 naming the parameter, nothing upstream -----------------------------------


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({}, "neither"),
        ({"ticket": "ZD-1"}, "neither"),
        ({"business": BUSINESS_GBP, "customer": "x" * 201}, "“customer”"),
        ({"business": BUSINESS_GBP, "customer": "x" * 20_000}, "“customer”"),
        ({"business": BUSINESS_GBP, "customer": "ada\x00@x"}, "“customer”"),
        ({"business": "Harbour\x1b[31m", "customer": "ada"}, "“business”"),
        ({"business": "H" * 301, "customer": "ada"}, "“business”"),
        ({"business": BUSINESS_GBP, "customer": "ada", "ticket": "Z" * 101}, "“ticket”"),
        ({"business": BUSINESS_GBP, "customer": "ada", "ticket": "1", "via": "v" * 41}, "“via”"),
        # A placeholder the helpdesk left as it was (a misspelt field, a template pasted by hand)
        ({"business": BUSINESS_GBP, "customer": "{{ticket.requester.email}}"}, "“customer”"),
        ({"business": "{{ ticket.organization.name }}", "customer": "ada"}, "“business”"),
        ({"business": BUSINESS_GBP, "customer": "ada", "ticket": "ZD-{{ticket.id}}"}, "“ticket”"),
        ({"business": BUSINESS_GBP, "customer": "{%customer.email%}"}, "“customer”"),
    ],
    ids=[
        "nothing",
        "only-a-ticket",
        "customer-too-long-to-search",
        "customer-huge",
        "customer-nul",
        "business-escape",
        "business-too-long",
        "ticket-too-long",
        "via-too-long",
        "customer-placeholder",
        "business-placeholder",
        "ticket-placeholder",
        "customer-percent-placeholder",
    ],
)
def test_bad_parameters_are_a_400_naming_them_before_any_call(
    staff_client, thredfi_sandbox, params, named
) -> None:
    response = go(staff_client, **params)
    assert response.status_code == 400
    assert named in response.content.decode()
    assert calls(thredfi_sandbox) == 0
    assert LookupEvent.objects.count() == 0


def test_a_long_id_or_link_is_not_too_long_to_follow(staff_client, thredfi_sandbox) -> None:
    pasted = f"https://dashboard.example/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/?" + "x" * 500
    response = go(staff_client, customer=pasted)
    assert response.status_code == 302
    assert response["Location"] == DETAIL


def test_ticket_and_via_lose_control_characters(staff_client, thredfi_sandbox) -> None:
    go(
        staff_client,
        business=BUSINESS_GBP,
        customer="CUST-0001",
        ticket="ZD-\u202e12\x0034\n",
        via="Zen\x1bdesk\t",
    )
    event = LookupEvent.objects.get()
    assert (event.ticket_ref, event.via) == ("ZD-1234", "Zendesk")


@pytest.mark.parametrize(
    "params",
    [
        {"customer": "https://evil.example/customers/x"},
        {"business": "//evil.example", "customer": "ada"},
        {"business": "https://evil.example/", "customer": "ada"},
        {"business": BUSINESS_GBP, "customer": "https://evil.example/"},
        {"customer": f"//evil.example/{DEMO_CUSTOMER_ID}", "next": "https://evil.example/"},
    ],
)
def test_every_redirect_stays_on_our_own_paths(staff_client, thredfi_sandbox, params) -> None:
    response = go(staff_client, **params)
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
        assert "evil.example" not in location.split("?")[0]


def test_post_and_get_only(staff_client, thredfi_sandbox) -> None:
    assert staff_client.put("/go").status_code == 405


# -- no credential yet: the link survives adding one --------------------------------------------


def test_a_go_link_without_a_credential_returns_to_the_link_once_one_is_added(
    client, support_user, thredfi_sandbox
) -> None:
    client.force_login(support_user)
    link = f"/go?business={BUSINESS_GBP}&customer={DEMO_CUSTOMER_ID}&ticket=ZD-9"
    response = client.get(link, **ACT)
    assert response.status_code == 302
    add_page = client.get(response["Location"])
    assert f'name="next" value="{link.replace("&", "&amp;")}"' in add_page.text
    saved = client.post(
        response["Location"],
        {
            "label": "Mine",
            "partner_uuid": str(DEMO_PARTNER_UUID),
            "api_key": DEMO_API_KEY,
            "next": link,
        },
    )
    assert saved.status_code == 302
    assert saved["Location"] == link
    assert go(client, business=BUSINESS_GBP, customer=DEMO_CUSTOMER_ID)["Location"] == DETAIL
    assert calls(thredfi_sandbox) == 0
