"""directory_sync over a business list that gives no ``count``: it walks numbered pages while
Thredfi says more follow, and stops (incomplete, nothing marked gone) when a "next" page brings no
business it has not seen, instead of asking for pages forever. A scripted upstream over real HTTP:
the sandbox always counts its lists."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from customers_ui.directory.sync import directory_sync
from customers_ui.models import BusinessDirectory, DirectoryBusiness
from tests.factories import make_credential
from tests.scripted_upstream import Route, Seen, scripted_upstream, send_json

pytestmark = pytest.mark.django_db

PARTNER = "7d3c5e1a-2b4f-4c6d-8e9f-0a1b2c3d4e5f"
LIST_PATH = "/v1/platform/businesses/"
ENDLESS_UNTIL = 50  # the scripted list stops answering here, so the old code ends (in failure)


@pytest.fixture
def scripted(settings: Any) -> Iterator[tuple[str, dict[tuple[str, str], Route], Seen]]:
    with scripted_upstream() as script:
        settings.THREDFI_BASE_URL = script[0]
        yield script


@pytest.fixture
def directory(scripted, settings) -> BusinessDirectory:
    return BusinessDirectory.objects.create(
        partner_uuid=PARTNER, base_url=settings.THREDFI_BASE_URL
    )


@pytest.fixture
def credential(alice):
    return make_credential(alice, "Scripted", api_key="scripted-key", partner_uuid=PARTNER)


def _business(n: int) -> dict[str, Any]:
    return {"id": str(uuid.UUID(int=n)), "legal_name": f"B{n}", "currency": "GBP"}


def _page_number(handler: BaseHTTPRequestHandler) -> int:
    return int(parse_qs(urlsplit(handler.path).query).get("page", ["1"])[-1])


def _list_requests(seen: Seen) -> int:
    return sum(1 for method, path, _ in seen if method == "GET" and path.startswith(LIST_PATH))


def test_an_uncounted_list_is_walked_page_by_page_to_its_end(scripted, directory, credential):
    _, routes, seen = scripted

    def three_pages(handler: BaseHTTPRequestHandler) -> None:
        page = _page_number(handler)
        more = f"{LIST_PATH}?page={page + 1}" if page < 3 else None
        send_json(handler, 200, {"next": more, "results": [_business(page)]})

    routes[("GET", LIST_PATH)] = three_pages
    report = directory_sync(directory=directory, credential=credential, lock_token=None)

    assert report.complete, report.error
    assert (report.known, report.pages) == (3, 3)
    assert _list_requests(seen) == 3


def test_next_pages_that_bring_nothing_new_end_the_walk(scripted, directory, credential):
    """An upstream offering "more" forever while repeating itself: stop at the first page with
    nothing new, and say the read is incomplete (what it hides must not be marked gone)."""
    _, routes, seen = scripted
    DirectoryBusiness.objects.create(
        directory=directory,
        business_id=uuid.UUID(int=99),
        legal_name="Known before",
        last_seen_at=timezone.now() - timedelta(days=1),
    )

    def repeating(handler: BaseHTTPRequestHandler) -> None:
        page = _page_number(handler)
        if page > ENDLESS_UNTIL:
            send_json(handler, 404, {"error_code": "not_found", "message": "Invalid page."})
            return
        body = {"next": f"{LIST_PATH}?page={page + 1}", "results": [_business(1), _business(2)]}
        send_json(handler, 200, body)

    routes[("GET", LIST_PATH)] = repeating
    report = directory_sync(directory=directory, credential=credential, lock_token=None)

    assert _list_requests(seen) == 2  # page 1, then page 2 which brought nothing new
    assert not report.complete
    assert "repeat" in report.error
    assert report.gone == 0
    assert DirectoryBusiness.objects.filter(directory=directory, gone_at__isnull=True).count() == 3
