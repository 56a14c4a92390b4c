"""GET /businesses/?q=: name substring, case- and accent-blind, recent first, paginated; a pasted
business ID goes straight to its customers; a JSON variant feeds the finder's suggestions."""

from __future__ import annotations

import re
import uuid

import pytest
from django.utils import timezone

from customers_ui.directory.selectors import PAGE_SIZE, SUGGESTIONS
from customers_ui.directory.writer import directory_store_page
from customers_ui.models import BusinessDirectory, DirectoryBusiness
from customers_ui.thredfi import Business
from sandbox.demo import BIG_ZEPHYR_BUSINESS_ID

pytestmark = pytest.mark.django_db

ZURICH = uuid.UUID("00000000-0000-4000-8000-00000000c401")
LODZ = uuid.UUID("00000000-0000-4000-8000-00000000c402")


@pytest.fixture
def filled(big_client, directory_sandbox):
    """Alice's directory, synced, plus two names with accents and letters NFKD keeps whole."""
    big_client.get("/")
    directory = BusinessDirectory.objects.get()
    directory_store_page(
        directory=directory,
        businesses=[
            Business(id=ZURICH, legal_name="Zürich Uhren AG", country="CH", currency="CHF"),
            Business(id=LODZ, legal_name="Łódź Logistics sp. z o.o.", country="PL"),
        ],
        seen_at=timezone.now(),
    )
    return directory


def _names(html: str) -> list[str]:
    results = html.split("data-business-results>")[1].split("</ol>")[0]
    return re.findall(
        r'<a href="/customers/[0-9a-f-]{36}/" data-busy="Opening…">([^<]+)</a>', results
    )


def test_any_part_of_the_name_in_any_case_finds_it(big_client, filled):
    response = big_client.get("/businesses/", {"q": "ephyr QUAR"})
    assert response.status_code == 200
    assert _names(response.text) == ["Zephyr Quarry Ltd"]
    assert f'href="/customers/{BIG_ZEPHYR_BUSINESS_ID}/"' in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [("zurich", "Zürich Uhren AG"), ("ZÜRICH", "Zürich Uhren AG"), ("lodz log", "Łódź Logistics")],
)
def test_accents_are_optional(big_client, filled, query, expected):
    assert any(
        expected in name for name in _names(big_client.get("/businesses/", {"q": query}).text)
    )


def test_names_starting_with_the_query_come_first(big_client, filled):
    DirectoryBusiness.objects.filter(business_id=LODZ).update(
        legal_name="Quarry Zephyr Works", search_key="quarry zephyr works"
    )
    names = _names(big_client.get("/businesses/", {"q": "zephyr"}).text)
    assert names == ["Zephyr Quarry Ltd", "Quarry Zephyr Works"]


def test_one_or_two_letters_match_the_start_of_names(big_client, filled):
    from customers_ui.directory.search_keys import search_key

    names = _names(big_client.get("/businesses/", {"q": "zü"}).text)
    assert names and all(search_key(n).startswith("zu") for n in names)
    assert "Zürich Uhren AG" in names


def test_every_business_is_findable_by_part_of_its_name(big_client, filled):
    """None dropped: a sample across the whole list, each found by a slice of its own name."""
    rows = DirectoryBusiness.objects.filter(directory=filled).order_by("business_id")
    for row in rows[::97]:
        fragment = row.legal_name[1:9]
        found: set[str] = set()
        for page in range(1, 40):
            html = big_client.get("/businesses/", {"q": fragment, "page": page}).text
            found |= set(re.findall(r'href="/customers/([0-9a-f-]{36})/"', html))
            if str(row.business_id) in found or 'rel="next"' not in html:
                break
        assert str(row.business_id) in found, (row.legal_name, fragment)


def test_results_are_paginated(big_client, filled):
    first = big_client.get("/businesses/", {"q": "a"}).text  # very many names start with "a"
    assert len(_names(first)) == PAGE_SIZE
    assert 'rel="next"' in first and "page=2" in first
    second = big_client.get("/businesses/", {"q": "a", "page": 2}).text
    assert 'rel="prev"' in second
    assert not set(_names(first)) & set(_names(second))


def test_an_empty_query_lists_the_directory_alphabetically(big_client, filled):
    names = _names(big_client.get("/businesses/").text)
    assert len(names) == PAGE_SIZE
    keys = list(
        DirectoryBusiness.objects.order_by("search_key").values_list("legal_name", flat=True)
    )
    assert names == [n.replace("&", "&amp;").replace("'", "&#x27;") for n in keys[:PAGE_SIZE]]


def test_no_match_says_so_and_suggests_the_id(big_client, filled):
    html = big_client.get("/businesses/", {"q": "no such business anywhere"}).text
    assert "No businesses found" in html
    assert "paste the business ID" in html


@pytest.mark.parametrize(
    "pasted",
    [
        BIG_ZEPHYR_BUSINESS_ID,
        f"  {BIG_ZEPHYR_BUSINESS_ID.upper()}  ",
        f"https://lookup.example.com/customers/{BIG_ZEPHYR_BUSINESS_ID}/",
        f"/v1/platform/businesses/{BIG_ZEPHYR_BUSINESS_ID}/customers/",
    ],
)
def test_a_pasted_business_id_goes_straight_to_its_customers(big_client, directory_sandbox, pasted):
    response = big_client.get("/businesses/", {"q": pasted})
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{BIG_ZEPHYR_BUSINESS_ID}/"
    assert directory_sandbox.stats()["total_requests"] == 0  # Thredfi answers on that page


def test_the_json_variant_feeds_suggestions(big_client, filled):
    data = big_client.get("/businesses/", {"q": "zephyr", "format": "json"}).json()
    assert data["results"] == [
        {
            "id": BIG_ZEPHYR_BUSINESS_ID,
            "name": "Zephyr Quarry Ltd",
            "country": "GB",
            "currency": "GBP",
            "active": True,
            "gone": False,
            "recent": False,
            "url": f"/customers/{BIG_ZEPHYR_BUSINESS_ID}/",
        }
    ]
    assert data["has_more"] is False
    assert data["status"]["complete"] is True
    assert data["status"]["upstream"] == 2_500
    many = big_client.get("/businesses/", {"q": "a", "format": "json"}).json()
    assert len(many["results"]) == SUGGESTIONS and many["has_more"]


def test_the_json_variant_of_a_pasted_id_says_where_to_go(big_client, directory_sandbox):
    data = big_client.get("/businesses/", {"q": BIG_ZEPHYR_BUSINESS_ID, "format": "json"}).json()
    assert data["open"] == f"/customers/{BIG_ZEPHYR_BUSINESS_ID}/"


def test_recent_businesses_come_first(big_client, filled, directory_sandbox):
    big_client.get(f"/customers/{ZURICH}/")  # upstream says 404, but the visit is not "ok"
    big_client.get(f"/customers/{BIG_ZEPHYR_BUSINESS_ID}/", {"q": "x"})
    DirectoryBusiness.objects.filter(business_id=LODZ).update(
        legal_name="Aardvark Zephyr", search_key="aardvark zephyr"
    )
    data = big_client.get("/businesses/", {"q": "zephyr", "format": "json"}).json()
    assert [r["name"] for r in data["results"]] == ["Zephyr Quarry Ltd", "Aardvark Zephyr"]
    assert data["results"][0]["recent"] is True


def test_gone_businesses_are_shown_as_gone(big_client, filled):
    DirectoryBusiness.objects.filter(business_id=ZURICH).update(gone_at=timezone.now())
    html = big_client.get("/businesses/", {"q": "zurich"}).text
    assert "Zürich Uhren AG" in html
    assert "gone from Thredfi since" in html


def test_bad_input_is_a_400(big_client, filled):
    assert big_client.get("/businesses/", {"page": "0"}).status_code == 400
    assert big_client.get("/businesses/", {"q": "x" * 201}).status_code == 400
    assert big_client.get("/businesses/", {"format": "xml"}).status_code == 400


def test_the_search_costs_a_bounded_number_of_queries(
    big_client, filled, django_assert_max_num_queries
):
    """Session, user, credential, directory, recent businesses, the sync lock (a cache read), and
    the search: names starting with the query, then (when those do not fill the page) the other
    matches' keys and the page of them. The same at any directory size; no upstream call."""
    big_client.get("/businesses/", {"q": "zephyr"})
    with django_assert_max_num_queries(9):
        assert big_client.get("/businesses/", {"q": "zephyr"}).status_code == 200
    with django_assert_max_num_queries(9):
        assert big_client.get("/businesses/", {"q": "ltd", "format": "json"}).status_code == 200
    with django_assert_max_num_queries(7):
        assert big_client.get("/businesses/", {"q": "z"}).status_code == 200


def test_searching_the_directory_never_calls_thredfi(big_client, filled, directory_sandbox):
    directory_sandbox.reset()
    for query in ("zephyr", "ltd", "zu", ""):
        big_client.get("/businesses/", {"q": query})
    assert directory_sandbox.stats()["total_requests"] == 0


@pytest.mark.parametrize("sorted_here_at_most", [1, 5_000])
def test_pages_follow_one_order_across_the_starts_with_boundary(
    db, monkeypatch, sorted_here_at_most
):
    """Names starting with the query, then the others, each by name: pages of 2 never overlap or
    skip, with and without the user's recent businesses leading, whether the other matches are
    few (sorted in Python) or many (read in the database's name order)."""
    from customers_ui.directory import selectors
    from customers_ui.directory.selectors import business_search

    monkeypatch.setattr(selectors, "SORT_HERE_AT_MOST", sorted_here_at_most)

    directory = BusinessDirectory.objects.create(partner_uuid=uuid.uuid4(), base_url="x")
    names = ["Abc 3", "Abc 1", "Abc 2", "X abc 2", "Y abc", "X abc 1", "Zabc", "Other"]
    businesses = [Business(id=uuid.uuid4(), legal_name=name) for name in names]
    directory_store_page(directory=directory, businesses=businesses, seen_at=timezone.now())
    expected = ["Abc 1", "Abc 2", "Abc 3", "X abc 1", "X abc 2", "Y abc", "Zabc"]

    def walk(first=()):
        seen, page = [], 1
        while True:
            matches = business_search(
                directory=directory, query="ABC", page=page, page_size=2, first=first
            )
            seen += [row.legal_name for row in matches.results]
            if not matches.has_next:
                return seen
            page += 1

    assert walk() == expected
    recent = [b.id for b in businesses if b.legal_name in ("Y abc", "Other")]
    assert walk(first=recent) == ["Y abc"] + [n for n in expected if n != "Y abc"]
