"""Hostile answers from Thredfi (numbers, structure, ids) cost milliseconds and never a 500."""

from __future__ import annotations

import logging
import re
import time

import pytest

from customers_ui.models import LookupEvent
from sandbox import faults
from sandbox.demo import BUSINESS_GBP

# Each answer: a readable page (200) or "couldn't read" (502), within 3 s, never a 500.
HOSTILE_DETAIL = [
    (faults.HUGE_EXPONENT, 200),
    (faults.HUGE_BALANCE, 200),
    (faults.HUGE_FILE_SIZE, 200),
    (faults.HUGE_NUMBER_DIGITS, 502),  # Python's JSON reader refuses 100,000-digit literals
    (faults.DEEP_METADATA, 502),  # nesting beyond the JSON reader's limit: unreadable
    (faults.WIDE_METADATA, 200),
    (faults.HOSTILE_REQUEST_ID_OK, 200),
]


def detail(customer_id: str) -> str:
    return f"/customers/{BUSINESS_GBP}/{customer_id}/"


@pytest.mark.parametrize(("customer_id", "status"), HOSTILE_DETAIL)
def test_hostile_answers_are_a_page_in_milliseconds(staff_client, customer_id, status) -> None:
    staff_client.get(detail("5b9e2d4c-8a1f-4e3b-9c7d-6f0a2b4c8e11"))  # tokens and metadata warm
    started = time.perf_counter()
    response = staff_client.get(detail(customer_id))
    elapsed = time.perf_counter() - started
    assert response.status_code == status
    assert elapsed < 3.0
    assert "Traceback" not in response.text
    assert len(response.content) < 600_000


@pytest.mark.parametrize("customer_id", [faults.HUGE_EXPONENT, faults.HUGE_BALANCE])
def test_money_no_business_holds_is_unreadable_and_the_rest_of_the_page_stays(
    staff_client, customer_id
) -> None:
    html = staff_client.get(detail(customer_id)).text
    assert "Unreadable value from Thredfi" in html
    assert '<h2 id="contact-heading">Contact</h2>' in html
    assert "Credit used" not in html  # no percentage of an unreadable number


def test_an_impossible_file_size_is_unknown(staff_client) -> None:
    html = staff_client.get(detail(faults.HUGE_FILE_SIZE)).text
    assert "size unknown" in html
    assert "inf" not in html.lower().split("size unknown")[0][-40:]


def test_wide_metadata_is_cut_before_formatting_with_a_note(staff_client) -> None:
    html = staff_client.get(detail(faults.WIDE_METADATA)).text
    assert "only part of it is shown" in html
    assert html.count("<li>") < 200  # 10,000 tags sent, a handful shown


def test_a_hostile_request_id_is_shown_and_logged_bounded_and_clean(staff_client, caplog) -> None:
    with caplog.at_level(logging.INFO):
        response = staff_client.get(detail(faults.HOSTILE_REQUEST_ID))
    assert response.status_code == 404
    shown = re.search(r"Thredfi request ID: <code>([^<]*)</code>", response.text).group(1)
    assert 0 < len(shown) <= 128
    assert re.fullmatch(r"[\x21-\x7e]+", shown.replace("&amp;", "&").replace("&#x27;", "'"))
    for record in caplog.records:
        message = record.getMessage()
        assert "\n" not in message and "\x1b" not in message
        assert "forged line" not in message
    assert len(LookupEvent.objects.get().request_id) <= 128


def test_a_list_claiming_absurd_page_counts_answers(staff_client) -> None:
    started = time.perf_counter()
    response = staff_client.get(f"/customers/{BUSINESS_GBP}/", {"q": faults.LIST_HUGE_PAGES})
    assert time.perf_counter() - started < 3.0
    assert response.status_code == 200
    pages = re.search(r"Page 1 of ([\d,]+)", response.text)
    assert pages is not None and int(pages.group(1).replace(",", "")) <= 10_000


def test_a_list_of_hostile_rows_answers(staff_client) -> None:
    started = time.perf_counter()
    response = staff_client.get(f"/customers/{BUSINESS_GBP}/", {"q": faults.LIST_HOSTILE_ROWS})
    assert time.perf_counter() - started < 3.0
    assert response.status_code == 200
    assert "unreadable" in response.text
