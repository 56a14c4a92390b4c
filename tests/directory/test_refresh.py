"""Stale-while-revalidate: a page that finds the directory older than BUSINESS_DIRECTORY_TTL
serves it as it is and starts one refresh in the background; the refresh swaps in the new list."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from customers_ui.directory import locks
from customers_ui.directory.refresh import RETRY_SECONDS, directory_is_stale
from customers_ui.models import BusinessDirectory, DirectoryBusiness
from sandbox.demo import BIG_ZEPHYR_BUSINESS_ID

from .conftest import BIG_BUSINESSES, run_jobs

pytestmark = pytest.mark.django_db


def _age(directory: BusinessDirectory, seconds: float) -> None:
    then = timezone.now() - timedelta(seconds=seconds)
    BusinessDirectory.objects.filter(pk=directory.pk).update(
        last_complete_sync_at=then, sync_finished_at=then
    )


def test_a_fresh_directory_is_not_refreshed(big_client, background_jobs, settings):
    big_client.get("/")
    run_jobs(background_jobs)
    big_client.get("/")
    big_client.get("/businesses/", {"q": "zephyr"})
    assert background_jobs == []


def test_a_stale_directory_serves_while_one_refresh_runs_in_the_background(
    big_client, background_jobs, directory_sandbox, settings
):
    big_client.get("/")
    run_jobs(background_jobs)
    directory = BusinessDirectory.objects.get()
    _age(directory, settings.BUSINESS_DIRECTORY_TTL + 1)
    directory_sandbox.resize_big_partner(2_000)  # 500 businesses gone upstream meanwhile

    # Stale: the old directory answers (Zephyr, the last of 2,500, is still found) ...
    data = big_client.get("/businesses/", {"q": "zephyr", "format": "json"}).json()
    assert [r["id"] for r in data["results"]] == [BIG_ZEPHYR_BUSINESS_ID]
    assert len(background_jobs) == 1
    # ... a burst of pages starts no second refresh (the lock is held until the job ran) ...
    big_client.get("/")
    big_client.get("/businesses/", {"q": "a"})
    assert len(background_jobs) == 1

    run_jobs(background_jobs)

    # ... and once it finished, the new list serves: Zephyr is marked gone, not deleted.
    data = big_client.get("/businesses/", {"q": "zephyr", "format": "json"}).json()
    assert data["results"][0]["gone"] is True
    directory.refresh_from_db()
    assert (directory.known_count, directory.upstream_count) == (2_000, 2_000)
    assert not locks.sync_running(directory=directory)


def test_a_failed_refresh_is_not_retried_by_every_page(big_client, directory_sandbox, settings):
    directory_sandbox.set_outage("503")
    big_client.get("/")  # no proof yet: the page says Thredfi is down; nothing stored
    directory_sandbox.set_outage("off")
    directory = BusinessDirectory.objects.get()
    now = timezone.now()
    BusinessDirectory.objects.filter(pk=directory.pk).update(sync_finished_at=now)
    directory.refresh_from_db()
    assert not directory_is_stale(directory=directory)
    BusinessDirectory.objects.filter(pk=directory.pk).update(
        sync_finished_at=now - timedelta(seconds=RETRY_SECONDS + 1)
    )
    directory.refresh_from_db()
    assert directory_is_stale(directory=directory)


def test_the_ttl_is_a_setting(big_client, background_jobs, settings):
    big_client.get("/")
    run_jobs(background_jobs)
    directory = BusinessDirectory.objects.get()
    _age(directory, 120)
    settings.BUSINESS_DIRECTORY_TTL = 600
    big_client.get("/")
    assert background_jobs == []
    settings.BUSINESS_DIRECTORY_TTL = 60
    big_client.get("/")
    assert len(background_jobs) == 1


def test_the_refresh_really_runs_in_a_background_thread(
    threaded_refresh, big_client, big_sandbox, settings
):
    """The page returns before the directory is full; the thread fills it meanwhile.

    Needs a test database two connections can use at once: PostgreSQL here (SQLite's in-memory
    test database locks whole tables across connections). On SQLite the browser tests cover
    the real thread, against a dashboard on a file database as deployed.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite: covered by tests/browser/test_directory.py")
    settings.THREDFI_BASE_URL = big_sandbox.base_url
    big_sandbox.reset()
    settings.BUSINESS_DIRECTORY_FETCHES = 2

    started = time.monotonic()
    response = big_client.get("/")
    answered = time.monotonic() - started

    assert response.status_code == 200, response.text[-3000:]
    assert "<progress" in response.text
    directory = BusinessDirectory.objects.get()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        directory.refresh_from_db()
        if directory.last_complete_sync_at is not None:
            break
        time.sleep(0.05)
    assert directory.last_complete_sync_at is not None, directory.last_error
    assert DirectoryBusiness.objects.filter(directory=directory).count() == BIG_BUSINESSES
    assert answered < 2.0
    while locks.sync_running(directory=directory) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not locks.sync_running(directory=directory)
