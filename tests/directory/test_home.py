"""The home page with a big partner: a business finder instead of a <select>, progress while the
directory fills, the chosen and recent businesses; a small partner keeps its <select>."""

from __future__ import annotations

import re

import pytest

from customers_ui.models import BusinessDirectory, DirectoryBusiness
from sandbox.demo import BIG_ZEPHYR_BUSINESS_ID, BUSINESS_GBP

from .conftest import BIG_BUSINESSES, run_jobs

pytestmark = pytest.mark.django_db


def test_the_first_visit_answers_at_once_and_starts_filling_the_directory(
    big_client, background_jobs, directory_sandbox
):
    response = big_client.get("/")

    assert response.status_code == 200
    html = response.text
    # The access check read page 1: searchable at once, and the progress says how far it got.
    assert 'id="id_business_q"' in html
    assert 'role="combobox"' in html
    assert "<select" not in html
    assert re.search(r'<progress id="directory-progress-bar" max="2500" value="100">', html)
    assert "100 of 2,500 businesses loaded" in html
    assert 'data-directory-status="/businesses/status/"' in html
    assert directory_sandbox.stats()["requests"]["list_businesses"] == 1
    assert len(background_jobs) == 1  # the rest is read in the background

    run_jobs(background_jobs)
    html = big_client.get("/").text
    assert "<progress" not in html
    assert "Only" not in html
    assert DirectoryBusiness.objects.count() == BIG_BUSINESSES


def test_the_finder_works_without_javascript(big_client):
    html = big_client.get("/").text
    form = re.search(r'<form method="get" action="/businesses/"[^>]*data-finder', html)
    assert form, "the finder is a plain GET form to /businesses/"
    assert re.search(r'<input type="search" name="q" id="id_business_q"[^>]* autofocus', html)
    assert '<label for="id_business_q">' in html


def test_customer_search_and_paste_target_the_chosen_business(big_client, big_credential):
    big_credential.last_business_id = BIG_ZEPHYR_BUSINESS_ID
    big_credential.save()

    html = big_client.get("/").text

    hidden = re.findall(r'<input type="hidden" name="business" id="([^"]+)" value="([^"]*)"', html)
    assert hidden == [
        ("id_business", BIG_ZEPHYR_BUSINESS_ID),
        ("id_paste_business", BIG_ZEPHYR_BUSINESS_ID),
    ]
    assert "<strong>Zephyr Quarry Ltd</strong> (GBP)" in html


def test_without_a_chosen_business_the_page_says_to_find_one(big_client):
    html = big_client.get("/").text
    assert "None yet: find one above." in html
    assert re.search(r'name="business" id="id_business" value=""', html)


def test_recent_businesses_are_listed_first_and_named(big_client, directory_sandbox):
    big_client.get(f"/customers/{BIG_ZEPHYR_BUSINESS_ID}/", {"q": "a"})

    html = big_client.get("/").text

    recent = html.split("Your recent businesses")[1].split("</ul>")[0]
    assert f'href="/customers/{BIG_ZEPHYR_BUSINESS_ID}/"' in recent
    assert "Zephyr Quarry Ltd" in recent


def test_a_partner_with_a_handful_of_businesses_keeps_its_select(staff_client):
    html = staff_client.get("/").text
    assert re.search(r'<select name="business" id="id_business" required>', html)
    assert f'<option value="{BUSINESS_GBP}"' in html
    assert 'id="id_business_q"' not in html
    assert re.search(
        r'<input type="search" name="q" id="id_q"[^>]* autofocus data-search-box', html
    )
    directory = BusinessDirectory.objects.get()
    assert directory.known_count == 3
    assert directory.last_complete_sync_at is not None


def test_a_failed_first_fill_says_how_many_of_how_many_are_known(
    big_client, background_jobs, directory_sandbox, settings
):
    big_client.get("/")
    directory_sandbox.set_outage("503")
    run_jobs(background_jobs)  # page 1 came with the access check; the rest fail
    directory_sandbox.set_outage("off")

    html = big_client.get("/").text

    assert "Only 100 of 2,500 businesses are known." in html
    assert "Search covers the businesses known" in html
    assert "<progress" not in html


def test_the_home_page_costs_a_bounded_number_of_queries(
    big_client, big_credential, directory_sandbox, django_assert_max_num_queries
):
    big_credential.last_business_id = BIG_ZEPHYR_BUSINESS_ID
    big_credential.save()
    big_client.get("/")
    directory_sandbox.reset()
    with django_assert_max_num_queries(10):
        assert big_client.get("/").status_code == 200
    assert directory_sandbox.stats()["total_requests"] == 0
