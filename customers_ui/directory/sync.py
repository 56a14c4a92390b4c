"""Filling a partner's directory from Thredfi's business list: every page, a few at a time.

The first page says how many businesses there are; the other pages are then fetched side by side
(`BUSINESS_DIRECTORY_FETCHES` at once, 8 by default) by worker threads that only talk HTTP, while
the calling thread writes each page to the database as it arrives (`writer.py`): one writer, so a
sync holds one database connection, never one per worker. Writes are upserts keyed by (directory,
business id), so rows appear while the sync runs and search works over what is already there.

A sync that read every page of an unchanging list is *complete*: only then are businesses it did
not see marked gone (never deleted while a page may show them; purged after `GONE_RETENTION`).
Anything short of that (a page that failed twice, refused credentials, a list that changed while
it was read) leaves the directory as it was plus what was read, and says so in `last_error`.

The caller must hold the directory's sync lock (`locks.sync_lock_acquire`); `directory_sync_now`
takes it for callers that have not.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.utils import timezone

from customers_ui.core.crypto import SecretDecryptionError
from customers_ui.core.problems import problem_for
from customers_ui.directory import locks
from customers_ui.directory.writer import directory_statistics_refresh, directory_store_page
from customers_ui.models import BusinessDirectory, DirectoryBusiness, PartnerCredential
from customers_ui.thredfi import (
    AuthenticationFailed,
    BusinessPage,
    PermissionDenied,
    ThredfiClient,
    ThredfiError,
)
from customers_ui.upstream.clients import thredfi_client
from customers_ui.upstream.guards import release_pooled_db_connection

logger = logging.getLogger(__name__)

PAGE_SIZE = 100  # the list endpoint's largest page
GONE_RETENTION = timedelta(days=30)
PROGRESS_EVERY_SECONDS = 0.5  # how often the known count shown by the progress bar is updated
# This many failed pages in a row (at least; or one round of parallel fetches) means Thredfi is
# not answering: the rest are not asked for, and the directory says how much it knows.
GIVE_UP_AFTER_FAILURES = 3

# Errors that end a sync at once: retrying pages with a refused key only adds refusals.
REFUSALS: tuple[type[BaseException], ...] = (
    AuthenticationFailed,
    PermissionDenied,
    SecretDecryptionError,
)
UPSTREAM_FAILURES: tuple[type[BaseException], ...] = (ThredfiError, SecretDecryptionError)


@dataclass(frozen=True, slots=True)
class SyncReport:
    """How one sync went, for the command's output and the logs."""

    complete: bool
    known: int
    upstream: int | None
    pages: int  # pages read
    failed_pages: int
    gone: int  # businesses newly marked gone
    seconds: float
    error: str = ""
    refused: bool = False  # Thredfi refused the credential: another one may do better

    def summary(self) -> str:
        upstream = "?" if self.upstream is None else f"{self.upstream:,}"
        state = "complete" if self.complete else f"incomplete: {self.error}"
        return (
            f"{self.known:,} of {upstream} businesses known ({state}); {self.pages} pages "
            f"in {self.seconds:.1f} s, {self.gone} newly gone"
        )


class _LockLost(Exception):
    """Another process holds the directory's lock now: this sync must stop writing."""


def _error_text(error: BaseException) -> str:
    if not isinstance(error, UPSTREAM_FAILURES):
        return f"unexpected {type(error).__name__} (see the logs)"
    problem = problem_for(error, subject="business")
    text = problem.title
    if problem.request_id:
        text += f" (Thredfi request {problem.request_id})"
    return text[:300]


def _known(directory: BusinessDirectory) -> int:
    return DirectoryBusiness.objects.filter(directory=directory, gone_at__isnull=True).count()


class _Run:
    """One sync's bookkeeping: what was seen, what failed, and the directory row's progress."""

    def __init__(self, directory: BusinessDirectory, lock_token: str | None) -> None:
        self.directory = directory
        self.known_before = directory.known_count
        self.lock_token = lock_token
        self.started_at = timezone.now()
        self.clock = time.monotonic()
        self.seen: set[object] = set()
        self.counts: set[int | None] = set()
        self.pages = 0
        self.failed: dict[int, BaseException] = {}
        self.refusal: BaseException | None = None
        self.gave_up = False
        self._last_progress = 0.0

    def store(self, *pages: BusinessPage) -> None:
        """Write pages that arrived together in one transaction (fewer commits, same rows)."""
        directory_store_page(
            directory=self.directory,
            businesses=[business for page in pages for business in page.results],
            seen_at=self.started_at,
        )
        for page in pages:
            self.seen.update(business.id for business in page.results)
            self.counts.add(page.count)
            self.pages += 1
            self.failed.pop(page.page, None)
        self.progress()
        release_pooled_db_connection()

    def progress(self, *, force: bool = False) -> None:
        """Publish the known count (the progress bar reads it) and keep the lock alive."""
        now = time.monotonic()
        if not force and now - self._last_progress < PROGRESS_EVERY_SECONDS:
            return
        self._last_progress = now
        if self.lock_token is not None and not locks.sync_lock_extend(
            directory=self.directory, token=self.lock_token
        ):
            raise _LockLost
        upstream = max((c for c in self.counts if c is not None), default=None)
        BusinessDirectory.objects.filter(pk=self.directory.pk).update(
            known_count=_known(self.directory), upstream_count=upstream
        )


def _fetch(client: ThredfiClient, page: int, page_size: int) -> BusinessPage:
    """One page, in a worker thread. The token cache may have used this thread's database
    connection (the database cache backend): hand it back, or a pool would leak it."""
    try:
        return client.list_businesses_page(page, page_size)
    finally:
        connections.close_all()


def _fetch_pages(
    run: _Run,
    client: ThredfiClient,
    pages: Iterable[int],
    *,
    fetches: int,
    page_size: int,
) -> None:
    """Fetch pages with at most `fetches` in flight; store them as they arrive (this thread),
    all pages that finished meanwhile in one write.

    Stops early on a refusal, or when a run of failures says Thredfi is not answering.
    """
    give_up_after = max(GIVE_UP_AFTER_FAILURES, fetches)
    failures_in_a_row = 0
    with ThreadPoolExecutor(max_workers=fetches, thread_name_prefix="directory-fetch") as pool:
        futures: dict[Future[BusinessPage], int] = {
            pool.submit(_fetch, client, number, page_size): number for number in pages
        }
        pending = set(futures)
        try:
            while pending and run.refusal is None and not run.gave_up:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                arrived: list[BusinessPage] = []
                for future in sorted(done, key=futures.__getitem__):
                    number = futures[future]
                    try:
                        arrived.append(future.result())
                        failures_in_a_row = 0
                    except REFUSALS as error:
                        run.refusal = error
                    except Exception as error:  # a page that failed, however: the others go on
                        if not isinstance(error, UPSTREAM_FAILURES):
                            logger.exception("directory %s: page %s failed", run.directory, number)
                        run.failed[number] = error
                        failures_in_a_row += 1
                        run.gave_up = failures_in_a_row >= give_up_after
                if arrived:
                    run.store(*arrived)
        finally:
            # On refusal or a lost lock: drop the pages not started yet; running ones finish.
            pool.shutdown(wait=True, cancel_futures=True)


def directory_sync(
    *,
    directory: BusinessDirectory,
    credential: PartnerCredential,
    lock_token: str | None,
    first_page: BusinessPage | None = None,
    fetches: int | None = None,
    page_size: int = PAGE_SIZE,
    client_factory: Callable[[PartnerCredential], ThredfiClient] = thredfi_client,
) -> SyncReport:
    """Read the partner's whole business list into the directory with `credential`.

    `first_page` is page 1 when the caller already has it (the home page's access check reads
    it): a partner whose businesses fit on it is then synced without another call.
    """
    fetches = max(1, fetches or settings.BUSINESS_DIRECTORY_FETCHES)
    run = _Run(directory, lock_token)
    BusinessDirectory.objects.filter(pk=directory.pk).update(sync_started_at=run.started_at)
    client = client_factory(credential)
    error = ""
    try:
        if first_page is None or first_page.page_size != page_size:
            first_page = client.list_businesses_page(1, page_size)
        run.store(first_page)
        total = first_page.total_pages
        if total is not None:
            _fetch_pages(run, client, range(2, total + 1), fetches=fetches, page_size=page_size)
            if run.failed and run.refusal is None and not run.gave_up:  # one more try each
                retry = sorted(run.failed)
                _fetch_pages(run, client, retry, fetches=fetches, page_size=page_size)
            last = max(run.counts - {None}, default=0)
            more = range(total + 1, (last + page_size - 1) // page_size + 1)
        else:  # no count: walk page by page while Thredfi says more follow
            more = range(0)
            number, page = 1, first_page
            while page.has_next and page.results and run.refusal is None:
                number += 1
                known = len(run.seen)
                page = client.list_businesses_page(number, page_size)
                run.store(page)
                if len(run.seen) == known:  # "more follow", yet nothing new: it would never end
                    error = f"the business list repeats itself (page {number} brought nothing new)"
                    break
        # The list grew while it was read: its new tail, page by page.
        for number in more:
            if run.refusal is not None:
                break
            run.store(client.list_businesses_page(number, page_size))
    except _LockLost:
        error = "another process took over this directory's sync"
    except REFUSALS as failure:
        run.refusal = failure
    except UPSTREAM_FAILURES as failure:
        error = _error_text(failure)
    except Exception as failure:  # recorded on the directory, then re-raised for the logs
        _finish(run, _error_text(failure))
        raise
    if run.refusal is not None:
        error = _error_text(run.refusal)
    elif not error and (run.failed or run.gave_up):
        first_failure = run.failed[min(run.failed)]
        error = f"pages could not be read: {_error_text(first_failure)}"
    return _finish(run, error)


def _finish(run: _Run, error: str) -> SyncReport:
    """Record the outcome; mark unseen businesses gone only after a complete, consistent read."""
    directory = run.directory
    now = timezone.now()
    counts = run.counts - {None}
    consistent = len(counts) <= 1 and (not counts or len(run.seen) >= max(counts))
    if not error and not consistent:
        error = "the business list changed while it was read; it will be read again"
    complete = not error
    gone = 0
    if complete:
        alive = DirectoryBusiness.objects.filter(directory=directory, gone_at__isnull=True)
        gone = alive.filter(last_seen_at__lt=run.started_at).update(gone_at=now)
        DirectoryBusiness.objects.filter(
            directory=directory, gone_at__lt=now - GONE_RETENTION
        ).delete()
    known = _known(directory)
    upstream = max(counts, default=None)
    fields: dict[str, object] = {
        "sync_finished_at": now,
        "known_count": known,
        "upstream_count": upstream if upstream is not None else known,
        "last_error": error[:300],
    }
    if complete:
        fields["last_complete_sync_at"] = now
    BusinessDirectory.objects.filter(pk=directory.pk).update(**fields)
    if abs(known - run.known_before) > max(1_000, run.known_before // 10):
        directory_statistics_refresh()
    report = SyncReport(
        complete=complete,
        known=known,
        upstream=upstream,
        pages=run.pages,
        failed_pages=len(run.failed),
        gone=gone,
        seconds=time.monotonic() - run.clock,
        error=error,
        refused=run.refusal is not None,
    )
    log = logger.info if complete else logger.warning
    log("directory %s sync: %s", directory.pk, report.summary())
    return report


def directory_sync_now(
    *, directory: BusinessDirectory, credential: PartnerCredential, **options: object
) -> SyncReport | None:
    """Take the sync lock, sync, release; None when another process is syncing already."""
    token = locks.sync_lock_acquire(directory=directory)
    if token is None:
        return None
    try:
        return directory_sync(
            directory=directory,
            credential=credential,
            lock_token=token,
            **options,  # type: ignore[arg-type]
        )
    finally:
        locks.sync_lock_release(directory=directory, token=token)
