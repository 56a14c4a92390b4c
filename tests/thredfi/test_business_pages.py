"""Numbered pages of the business list over real HTTP: what a parallel directory sync reads."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from customers_ui.thredfi import BusinessPage, NotFound
from sandbox.demo import (
    BIG_API_KEY,
    BIG_PARTNER_DEFAULT_BUSINESSES,
    BIG_PARTNER_UUID,
    BIG_ZEPHYR_BUSINESS_ID,
    BIG_ZEPHYR_INDEX,
    BIG_ZEPHYR_NAME,
    BUSINESS_GBP,
)

from .helpers import route_count, token_requests


@pytest.fixture
def big(make_client):
    return make_client(partner_uuid=BIG_PARTNER_UUID, api_key=BIG_API_KEY)


def test_the_first_page_says_how_many_there_are(big):
    page = big.list_businesses_page(1)
    assert isinstance(page, BusinessPage)
    assert page.count == BIG_PARTNER_DEFAULT_BUSINESSES
    assert (page.page, page.page_size, len(page.results)) == (1, 100, 100)
    assert page.has_next
    assert page.total_pages == BIG_PARTNER_DEFAULT_BUSINESSES // 100


def test_the_last_page_has_no_next_and_one_past_it_is_not_found(big):
    last = BIG_PARTNER_DEFAULT_BUSINESSES // 100
    page = big.list_businesses_page(last)
    assert len(page.results) == 100
    assert not page.has_next
    with pytest.raises(NotFound) as caught:
        big.list_businesses_page(last + 1)
    assert caught.value.request_id


def test_pages_fetched_side_by_side_cover_the_list_without_overlap(api, big):
    """The directory's access pattern: page 1 for the count, then the rest in parallel."""
    first = big.list_businesses_page(1, page_size=100)
    with ThreadPoolExecutor(max_workers=8) as pool:
        pages = list(pool.map(lambda n: big.list_businesses_page(n, 100), range(2, 131)))
    ids = [b.id for page in [first, *pages] for b in page.results]
    assert len(ids) == len(set(ids)) == 130 * 100
    by_id = {b.id: b for page in pages for b in page.results}
    assert BIG_ZEPHYR_INDEX < 130 * 100
    assert by_id[uuid.UUID(BIG_ZEPHYR_BUSINESS_ID)].legal_name == BIG_ZEPHYR_NAME
    assert route_count(api, "list_businesses") == 130
    assert token_requests(api) == (1, 0)  # one partner token shared by every worker


def test_the_demo_partner_fits_on_one_page(client):
    page = client.list_businesses_page(1)
    assert page.count == 3
    assert not page.has_next
    assert uuid.UUID(BUSINESS_GBP) in {b.id for b in page.results}


def test_the_two_partners_never_see_each_others_businesses(client, big):
    demo_ids = {b.id for b in client.list_businesses_page(1).results}
    big_ids = {b.id for b in big.list_businesses_page(1).results}
    assert not demo_ids & big_ids


def test_smaller_pages_are_honoured(big):
    page = big.list_businesses_page(3, page_size=7)
    assert (page.page, page.page_size, len(page.results)) == (3, 7, 7)
    assert page.total_pages == -(-BIG_PARTNER_DEFAULT_BUSINESSES // 7)


@pytest.mark.parametrize(
    ("page", "page_size"), [(0, 100), (-1, 100), (True, 100), (1, 0), (1, 101), (1, False)]
)
def test_page_arguments_are_checked_before_any_call(api, big, page, page_size):
    with pytest.raises(ValueError):
        big.list_businesses_page(page, page_size)
    assert api.stats()["total_requests"] == 0


def test_verify_reads_one_page_with_a_fresh_token_whatever_the_partner_size(api, big):
    big.list_businesses_page(1)
    checked = big.verify()
    assert checked.count == BIG_PARTNER_DEFAULT_BUSINESSES
    assert len(checked.results) == 100
    assert token_requests(api) == (2, 0)
    assert route_count(api, "list_businesses") == 2
