"""The customer pages of a big partner's business never read the whole business list: its name
and currency come from the directory (or one call for that business)."""

from __future__ import annotations

import pytest

from sandbox.demo import BIG_ZEPHYR_BUSINESS_ID

pytestmark = pytest.mark.django_db


def test_a_business_in_the_directory_costs_no_business_call(big_client, directory_sandbox):
    big_client.get("/")  # fills the directory
    directory_sandbox.reset()

    response = big_client.get(f"/customers/{BIG_ZEPHYR_BUSINESS_ID}/")

    assert response.status_code == 200
    assert "Zephyr Quarry Ltd" in response.text
    requests = directory_sandbox.stats()["requests"]
    assert requests["list_businesses"] == 0
    assert requests["get_business"] == 0
    assert requests["list_customers"] == 1


def test_without_a_directory_one_call_names_the_business(big_client, directory_sandbox):
    response = big_client.get(f"/customers/{BIG_ZEPHYR_BUSINESS_ID}/")

    assert response.status_code == 200
    assert "Zephyr Quarry Ltd" in response.text
    requests = directory_sandbox.stats()["requests"]
    assert requests["list_businesses"] == 0
    assert requests["get_business"] == 1
