"""Times on the customer page and the recent lookups are in the reader's zone, with it named."""

from __future__ import annotations

import re

import pytest

from sandbox.demo import BUSINESS_GBP, DEMO_CUSTOMER_ID

pytestmark = pytest.mark.django_db

DETAIL = f"/customers/{BUSINESS_GBP}/{DEMO_CUSTOMER_ID}/"


def _created(html: str) -> re.Match[str]:
    match = re.search(
        r'<dt>Created</dt><dd><time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>', html
    )
    assert match, "the created time is a <time> with its zone"
    return match


def test_customer_times_follow_the_browsers_zone(staff_client):
    utc = _created(staff_client.get(DETAIL).text)
    assert utc.group(2) == "UTC" and utc.group(3).endswith(" UTC")

    staff_client.cookies["tz"] = "Asia/Tokyo"
    tokyo = _created(staff_client.get(DETAIL).text)
    assert tokyo.group(1) == utc.group(1)  # the same instant ...
    assert tokyo.group(2) == "Asia/Tokyo"  # ... named ...
    assert tokyo.group(3).endswith(" JST") and tokyo.group(3) != utc.group(3)  # ... shown there


def test_recent_lookups_show_the_time_in_the_readers_zone(staff_client):
    staff_client.get(DETAIL)
    staff_client.cookies["tz"] = "Europe/Paris"
    recent = staff_client.get("/").text.split("My recent lookups")[1]
    assert re.search(
        r'<time datetime="[^"]+" title="[^"]+ \(Europe/Paris\)">\d\d:\d\d CES?T</time>', recent
    )
