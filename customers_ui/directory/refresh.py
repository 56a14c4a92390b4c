"""When a directory is refreshed, and the background thread that does it.

Stale-while-revalidate: a page that finds its directory older than `BUSINESS_DIRECTORY_TTL` (or
never complete) starts a sync in a background thread of its own process and carries on with the
directory as it is. The shared-cache lock makes sure only one process anywhere syncs a partner;
a sync that failed is not retried by every page view, only after `RETRY_SECONDS`.
A scheduler can do the same for every partner with `manage.py sync_businesses`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.utils import timezone

from customers_ui.directory import access, locks
from customers_ui.directory.sync import directory_sync
from customers_ui.models import BusinessDirectory, PartnerCredential
from customers_ui.thredfi import BusinessPage

logger = logging.getLogger(__name__)

# After a failed sync, pages wait this long before starting another (the scheduler does not).
RETRY_SECONDS = 60


def directory_is_stale(*, directory: BusinessDirectory) -> bool:
    """Older than the TTL, or never complete, and not just failed (then: after RETRY_SECONDS)."""
    now = timezone.now()
    complete_at = directory.last_complete_sync_at
    if complete_at is not None and now - complete_at < timedelta(
        seconds=settings.BUSINESS_DIRECTORY_TTL
    ):
        return False
    finished_at = directory.sync_finished_at
    failed_recently = (
        finished_at is not None
        and (complete_at is None or finished_at > complete_at)
        and now - finished_at < timedelta(seconds=RETRY_SECONDS)
    )
    return not failed_recently


def _sync_job(
    directory_id: int, credential_id: int, token: str, first_page: BusinessPage | None
) -> None:
    """A refresh's work, wherever it runs: sync, then free the lock whatever happened."""
    try:
        directory = BusinessDirectory.objects.get(pk=directory_id)
        credential = PartnerCredential.objects.get(pk=credential_id)
        report = directory_sync(
            directory=directory, credential=credential, lock_token=token, first_page=first_page
        )
        if report.refused:  # the key stopped working since the page checked it
            access.access_revoke(credential=credential)
    except Exception:  # a background job has nobody to raise to: log it, free the lock
        logger.exception("directory %s: background sync failed", directory_id)
    finally:
        locks.sync_lock_release(directory=BusinessDirectory(pk=directory_id), token=token)


def _start_thread(job: Callable[..., None], *args: object) -> None:
    """Run the job in a daemon thread with its own database connection, closed at the end
    (a pooled PostgreSQL connection goes back to the pool)."""

    def run() -> None:
        try:
            job(*args)
        finally:
            connections.close_all()

    threading.Thread(target=run, name="directory-sync", daemon=True).start()


# How a refresh is started; tests swap it for `lambda job, *args: job(*args)` to run inline.
spawn: Callable[..., None] = _start_thread


def directory_refresh_in_background(
    *,
    directory: BusinessDirectory,
    credential: PartnerCredential,
    first_page: BusinessPage | None = None,
) -> bool:
    """Start syncing the directory in the background unless some process already is.

    The lock is taken here, before the thread starts, so a burst of page views starts one thread.
    """
    if locks.sync_running(directory=directory):
        return False  # a read first: taking the lock is a write (a database one, without Redis)
    token = locks.sync_lock_acquire(directory=directory)
    if token is None:
        return False
    logger.info("directory %s: refresh started in the background", directory.pk)
    spawn(_sync_job, directory.pk, credential.pk, token, first_page)
    return True
