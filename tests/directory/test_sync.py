"""directory_sync: every business of a big partner, pages fetched in parallel but bounded, gone
businesses marked (not deleted), and an honest record when a sync cannot finish."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from customers_ui.directory import locks
from customers_ui.directory.sync import GONE_RETENTION, directory_sync, directory_sync_now
from customers_ui.models import BusinessDirectory, DirectoryBusiness
from customers_ui.thredfi import ThredfiClient
from customers_ui.upstream.clients import thredfi_client
from sandbox.demo import BIG_ZEPHYR_BUSINESS_ID, BIG_ZEPHYR_NAME

from .conftest import BIG_BUSINESSES

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(big_credential, settings) -> BusinessDirectory:
    return BusinessDirectory.objects.create(
        partner_uuid=big_credential.partner_uuid, base_url=settings.THREDFI_BASE_URL
    )


def _alive(directory: BusinessDirectory) -> int:
    return DirectoryBusiness.objects.filter(directory=directory, gone_at__isnull=True).count()


def test_a_sync_stores_every_business_of_the_partner(directory, big_credential, directory_sandbox):
    report = directory_sync(directory=directory, credential=big_credential, lock_token=None)

    assert report.complete, report.error
    assert (report.known, report.upstream, report.pages) == (BIG_BUSINESSES, BIG_BUSINESSES, 25)
    assert DirectoryBusiness.objects.filter(directory=directory).count() == BIG_BUSINESSES
    directory.refresh_from_db()
    assert directory.known_count == directory.upstream_count == BIG_BUSINESSES
    assert directory.last_complete_sync_at is not None
    assert directory.last_error == ""
    zephyr = DirectoryBusiness.objects.get(directory=directory, business_id=BIG_ZEPHYR_BUSINESS_ID)
    assert (zephyr.legal_name, zephyr.search_key) == (BIG_ZEPHYR_NAME, "zephyr quarry ltd")
    assert (zephyr.country, zephyr.currency, zephyr.entity_type) == ("GB", "GBP", "limited_company")
    assert directory_sandbox.stats()["requests"]["list_businesses"] == 25


def test_pages_are_fetched_in_parallel_but_never_more_than_the_bound(
    directory, big_credential, directory_sandbox, settings
):
    settings.BUSINESS_DIRECTORY_FETCHES = 4
    in_flight, peak = 0, 0
    lock = threading.Lock()

    class Counting(ThredfiClient):
        def list_businesses_page(self, page=1, page_size=100):
            nonlocal in_flight, peak
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
            try:
                threading.Event().wait(0.02)  # long enough for the others to start
                return super().list_businesses_page(page, page_size)
            finally:
                with lock:
                    in_flight -= 1

    def factory(credential):
        client = thredfi_client(credential)
        client.__class__ = Counting
        return client

    report = directory_sync(
        directory=directory, credential=big_credential, lock_token=None, client_factory=factory
    )
    assert report.complete
    assert peak == 4  # parallel, and bounded


def test_businesses_that_disappear_are_marked_gone_not_deleted_and_come_back(
    directory, big_credential, directory_sandbox
):
    directory_sync(directory=directory, credential=big_credential, lock_token=None)
    directory_sandbox.resize_big_partner(2_000)

    report = directory_sync(directory=directory, credential=big_credential, lock_token=None)

    assert report.complete and report.gone == 500
    assert DirectoryBusiness.objects.filter(directory=directory).count() == BIG_BUSINESSES
    assert _alive(directory) == 2_000
    directory.refresh_from_db()
    assert directory.known_count == directory.upstream_count == 2_000

    directory_sandbox.resize_big_partner(BIG_BUSINESSES)
    directory_sync(directory=directory, credential=big_credential, lock_token=None)
    assert _alive(directory) == BIG_BUSINESSES


def test_gone_businesses_are_purged_only_after_the_retention(
    directory, big_credential, directory_sandbox
):
    directory_sync(directory=directory, credential=big_credential, lock_token=None)
    directory_sandbox.resize_big_partner(2_400)
    directory_sync(directory=directory, credential=big_credential, lock_token=None)
    DirectoryBusiness.objects.filter(directory=directory, gone_at__isnull=False).update(
        gone_at=timezone.now() - GONE_RETENTION - timedelta(minutes=1)
    )

    directory_sync(directory=directory, credential=big_credential, lock_token=None)

    assert DirectoryBusiness.objects.filter(directory=directory).count() == 2_400


def test_a_sync_that_cannot_finish_keeps_what_it_read_and_says_how_much(
    directory, big_credential, directory_sandbox, settings
):
    """Thredfi stops answering after a few pages: "N of M" is recorded, nothing marked gone."""
    settings.BUSINESS_DIRECTORY_FETCHES = 1
    pages_read = 0

    class FailingLater(ThredfiClient):
        def list_businesses_page(self, page=1, page_size=100):
            nonlocal pages_read
            pages_read += 1
            if pages_read == 6:
                directory_sandbox.set_outage("503")
            return super().list_businesses_page(page, page_size)

    def factory(credential):
        client = thredfi_client(credential)
        client.__class__ = FailingLater
        return client

    report = directory_sync(
        directory=directory, credential=big_credential, lock_token=None, client_factory=factory
    )

    assert not report.complete
    assert report.known == 500  # pages 1-5
    assert report.upstream == BIG_BUSINESSES
    assert "could not be read" in report.error
    directory.refresh_from_db()
    assert (directory.known_count, directory.upstream_count) == (500, BIG_BUSINESSES)
    assert directory.last_complete_sync_at is None
    assert directory.last_error
    assert not DirectoryBusiness.objects.filter(gone_at__isnull=False).exists()


def test_a_failed_page_is_tried_once_more(directory, big_credential, directory_sandbox):
    failed_once: set[int] = set()

    class Flaky(ThredfiClient):
        def list_businesses_page(self, page=1, page_size=100):
            if page == 7 and page not in failed_once:
                failed_once.add(page)
                return super().list_businesses_page(10_000, page_size)  # 404
            return super().list_businesses_page(page, page_size)

    def factory(credential):
        client = thredfi_client(credential)
        client.__class__ = Flaky
        return client

    report = directory_sync(
        directory=directory, credential=big_credential, lock_token=None, client_factory=factory
    )
    assert report.complete, report.error
    assert report.known == BIG_BUSINESSES


def test_a_refused_key_stops_the_sync_at_once(directory, big_credential, directory_sandbox):
    from customers_ui.credentials.services import credential_replace_key

    credential_replace_key(credential=big_credential, api_key="thredfi_sandbox_wrong_key_0000")

    report = directory_sync(directory=directory, credential=big_credential, lock_token=None)

    assert report.refused and not report.complete
    assert "refused" in report.error.lower()
    assert directory_sandbox.stats()["requests"]["list_businesses"] == 0


def test_a_list_that_changes_while_it_is_read_is_not_called_complete(
    directory, big_credential, directory_sandbox
):
    class Shrinking(ThredfiClient):
        def list_businesses_page(self, page=1, page_size=100):
            if page == 2:
                directory_sandbox.resize_big_partner(BIG_BUSINESSES - 1)
            return super().list_businesses_page(page, page_size)

    def factory(credential):
        client = thredfi_client(credential)
        client.__class__ = Shrinking
        return client

    report = directory_sync(
        directory=directory,
        credential=big_credential,
        lock_token=None,
        client_factory=factory,
        fetches=1,
    )
    assert not report.complete
    assert "changed while it was read" in report.error
    assert not DirectoryBusiness.objects.filter(gone_at__isnull=False).exists()


def test_sync_now_takes_the_lock_and_gives_it_back(directory, big_credential, directory_sandbox):
    token = locks.sync_lock_acquire(directory=directory)
    assert directory_sync_now(directory=directory, credential=big_credential) is None
    locks.sync_lock_release(directory=directory, token=token)

    report = directory_sync_now(directory=directory, credential=big_credential)

    assert report is not None and report.complete
    assert not locks.sync_running(directory=directory)


def test_stored_names_get_a_case_and_accent_free_search_key(directory):
    from customers_ui.directory.writer import directory_store_page
    from customers_ui.thredfi import Business

    directory_store_page(
        directory=directory,
        businesses=[Business(id=uuid.uuid4(), legal_name="Zürich Uhren AG", currency="chf")],
        seen_at=timezone.now(),
    )
    row = DirectoryBusiness.objects.get(directory=directory)
    assert row.search_key == "zurich uhren ag"
