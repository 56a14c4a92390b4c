"""Reads of the business directory. Callers have checked access (`services.directory_open`).

Search is a substring match on the stored search key (casefolded, accent-free), answered from
indexes at any partner size (see `_ordered_slice`; the indexes are migration 0005's): the name
index for order and "starts with", a trigram index on PostgreSQL for fragments anywhere (SQLite
scans the partner's rows for those). Names that *start* with the query come first, then the rest
alphabetically. One or two characters match the start of names only: "a" anywhere in a name is
nearly every name.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Collate

from customers_ui.directory import locks
from customers_ui.directory.search_keys import search_key
from customers_ui.models import BusinessDirectory, DirectoryBusiness, LookupEvent
from customers_ui.thredfi import Business

PAGE_SIZE = 50  # results per page of /businesses/
SUGGESTIONS = 8  # suggestions under the search box
SHORT_QUERY_CHARS = 3  # shorter queries match the start of names only
RECENT_BUSINESSES = 5
PICKER_MAX = 25  # up to this many businesses, the home page keeps its plain <select>
# A fragment in at most this many names has its matches sorted here; in more, they are read in
# name order (see `_ordered_slice`).
SORT_HERE_AT_MOST = 5_000


@dataclass(frozen=True, slots=True)
class DirectoryStatus:
    """How complete a directory is, in the numbers the progress bar and notices show.

    `within_scope`: the numbers are a scoped credential's businesses, not the partner's (whose
    size the scope keeps from its holders), and complete means every one of them is known.
    """

    known: int
    upstream: int | None
    running: bool
    last_complete_sync_at: datetime | None
    last_error: str
    within_scope: bool = False

    @property
    def ever_complete(self) -> bool:
        return self.last_complete_sync_at is not None

    @property
    def _missing(self) -> bool:
        return self.upstream is not None and self.known < self.upstream

    @property
    def filling(self) -> bool:
        """The first sync is under way: show progress."""
        if self.within_scope:
            return self.running and self._missing
        return self.running and not self.ever_complete

    @property
    def partial(self) -> bool:
        """No sync is running, and the directory misses businesses (or was never read whole):
        the page must say "N of M known" instead of pretending search covers everything."""
        if self.running:
            return False
        return self._missing or not (self.ever_complete or self.within_scope)

    @property
    def total(self) -> int:
        """The progress bar's maximum: Thredfi's count, or what is known if it gave none."""
        return max(self.upstream or 0, self.known, 1)

    @property
    def percent(self) -> int:
        return min(100, self.known * 100 // self.total)

    @property
    def progress_text(self) -> str:
        """ "12,400 of 25,000 businesses" (the figure a person reads next to the bar)."""
        if self.upstream is None:
            return f"{self.known:,} businesses"
        return f"{self.known:,} of {self.upstream:,} businesses"

    def as_json(self) -> dict[str, object]:
        return {
            "known": self.known,
            "upstream": self.upstream,
            "total": self.total,
            "running": self.running,
            "filling": self.filling,
            "partial": self.partial,
            "complete": not self.filling and not self.partial,
            "text": self.progress_text,
        }


def directory_for_partner(partner_uuid: uuid.UUID) -> BusinessDirectory:
    """The partner's directory on the configured Thredfi, made empty on first use."""
    directory, _ = BusinessDirectory.objects.get_or_create(
        partner_uuid=partner_uuid, base_url=settings.THREDFI_BASE_URL
    )
    return directory


def directory_status(
    *, directory: BusinessDirectory, scope: Collection[uuid.UUID] | None = None
) -> DirectoryStatus:
    """The directory's completeness; with `scope` (a team credential's businesses), counted
    over those businesses only."""
    whole = DirectoryStatus(
        known=directory.known_count,
        upstream=directory.upstream_count,
        running=locks.sync_running(directory=directory),
        last_complete_sync_at=directory.last_complete_sync_at,
        last_error=directory.last_error,
    )
    if scope is None:
        return whole
    known = _scoped(
        DirectoryBusiness.objects.filter(directory=directory, gone_at__isnull=True), scope
    ).count()
    # Once the partner's list has been read whole, a business of the scope that is not in it is
    # no longer Thredfi's: there is nothing left to wait for.
    read_whole = not (whole.filling or whole.partial)
    return DirectoryStatus(
        known=known,
        upstream=known if read_whole else len(scope),
        running=whole.running,
        last_complete_sync_at=whole.last_complete_sync_at,
        last_error=whole.last_error,
        within_scope=True,
    )


@dataclass(frozen=True, slots=True)
class BusinessMatches:
    """One page of a directory search. `recent` rows are the user's own recent businesses."""

    query: str
    results: tuple[DirectoryBusiness, ...] = ()
    page: int = 1
    has_next: bool = False
    recent: frozenset[uuid.UUID] = field(default_factory=frozenset)

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _by_name(rows: QuerySet[DirectoryBusiness]) -> QuerySet[DirectoryBusiness]:
    """`rows` with `name`: the search key as the name index orders it (byte order: COLLATE "C"
    on PostgreSQL, SQLite's own comparison elsewhere), so a page is read straight off it."""
    if connection.vendor == "postgresql":
        return rows.alias(name=Collate("search_key", "C"))
    return rows.alias(name=F("search_key"))


def _in_order(rows: QuerySet[DirectoryBusiness]) -> QuerySet[DirectoryBusiness]:
    return rows.order_by("name", "id")  # the id breaks ties, so pages never overlap


def _prefix(key: str) -> Q:
    """Names starting with `key`, as a range of the name index. (SQLite's LIKE ignores case, so
    it could not use the index; keys are casefolded already, and the range means the same.)"""
    if connection.vendor == "sqlite":
        return Q(name__gte=key, name__lt=key + "\U0010ffff")
    return Q(name__startswith=key)


def _matching(rows: QuerySet[DirectoryBusiness], key: str) -> QuerySet[DirectoryBusiness]:
    """Every match, unordered (an empty key: every business not gone)."""
    rows = _by_name(rows)
    if not key:
        return rows.filter(gone_at__isnull=True)
    if len(key) < SHORT_QUERY_CHARS:
        return rows.filter(_prefix(key))
    return rows.filter(search_key__contains=key)


def _ordered_slice(
    rows: QuerySet[DirectoryBusiness], key: str, start: int, count: int
) -> list[DirectoryBusiness]:
    """Matches [start, start + count) in result order: names starting with the key, then the
    others, each alphabetically (by code point, then id: the same order however it is read).

    Never one "ORDER BY starts-with, name" over every match: a fragment in tens of thousands of
    names ("ltd") would sort them all. Names starting with the key are read off the name index
    in order. The others, up to SORT_HERE_AT_MOST of them (found through the trigram index on
    PostgreSQL), are fetched unordered as (key, id) pairs and sorted here; beyond that, they are
    dense enough to read in name order. (Asked for "in order, the first 51", PostgreSQL walks
    the name index even for a fragment in 600 names out of 100,000, and when those names sit
    late in the alphabet that walk reads most of it: 40-90 ms. Measured at 100,000 businesses
    on PostgreSQL: random fragments p99 19 ms with this, "ltd" 24 ms.)
    """
    if not key or len(key) < SHORT_QUERY_CHARS:
        return list(_in_order(_matching(rows, key))[start : start + count])
    starting = _in_order(_by_name(rows).filter(_prefix(key)))
    found = list(starting[start : start + count])
    if len(found) == count:
        return found
    # Every name starting with the key up to here is read: how many there are in all.
    before = start + len(found) if found or not start else starting.count()
    skip, wanted = max(0, start - before), count - len(found)
    others = _by_name(rows).filter(search_key__contains=key).exclude(_prefix(key))
    few = list(others.values_list("search_key", "id")[: SORT_HERE_AT_MOST + 1])
    if len(few) <= SORT_HERE_AT_MOST:
        ids = [row_id for _, row_id in sorted(few)[skip : skip + wanted]]
        by_id = DirectoryBusiness.objects.in_bulk(ids)
        return found + [by_id[row_id] for row_id in ids]
    return found + list(_in_order(others)[skip : skip + wanted])


def business_search(
    *,
    directory: BusinessDirectory,
    query: str,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    first: Collection[uuid.UUID] = (),
    scope: Collection[uuid.UUID] | None = None,
) -> BusinessMatches:
    """Businesses whose name contains the query, ignoring case and accents.

    `first` (the user's recent businesses) lead the first page when they match; an empty query
    lists the directory alphabetically. `scope` (a team credential's businesses) limits it.
    """
    key = search_key(query)
    if query.strip() and not key:  # punctuation only ("%", "&"): no name is made of that
        return BusinessMatches(query=query)
    rows = _scoped(DirectoryBusiness.objects.filter(directory=directory), scope)
    leading: list[DirectoryBusiness] = []
    if first:
        order = {business_id: index for index, business_id in enumerate(first)}
        leading = sorted(
            _matching(rows, key).filter(business_id__in=list(first)),
            key=lambda row: order.get(row.business_id, len(order)),
        )[:page_size]
        rows = rows.exclude(business_id__in=list(first))
    # Page 1 is the leading rows and the first of the rest; later pages carry on from there.
    start = 0 if page == 1 else (page - 1) * page_size - len(leading)
    wanted = page_size - len(leading) if page == 1 else page_size
    found = _ordered_slice(rows, key, start, wanted + 1)
    if page > 1:
        leading = []
    return BusinessMatches(
        query=query,
        results=tuple(leading + found[:wanted]),
        page=page,
        has_next=len(found) > wanted,
        recent=frozenset(row.business_id for row in leading),
    )


def businesses_named(*, directory: BusinessDirectory, name: str) -> list[DirectoryBusiness]:
    """Businesses (not gone) whose legal name is exactly `name`, ignoring case only.

    The search key narrows it through the name index; the exact comparison is done here, so
    "Zurich" does not name "Zürich" (the key folds accents too).
    """
    key, wanted = search_key(name), " ".join(name.split()).casefold()
    if not key:
        return []
    rows = DirectoryBusiness.objects.filter(directory=directory, gone_at__isnull=True)
    rows = _by_name(rows).filter(name=key).order_by("legal_name", "id")[:PAGE_SIZE]
    return [row for row in rows if " ".join(row.legal_name.split()).casefold() == wanted]


def directory_businesses(
    *, directory: BusinessDirectory, ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, DirectoryBusiness]:
    """The directory's rows for these business ids (gone ones included), by id."""
    wanted = {business_id for business_id in ids if business_id is not None}
    if not wanted:
        return {}
    rows = DirectoryBusiness.objects.filter(directory=directory, business_id__in=wanted)
    return {row.business_id: row for row in rows}


def directory_business_record(
    *, partner_uuid: uuid.UUID, base_url: str, business_id: uuid.UUID
) -> Business | None:
    """A business the partner's directory lists (and has not seen go), as the client's record.

    For naming and pricing a business on pages that then ask Thredfi about it with the user's
    own credential: a business Thredfi no longer has is left to Thredfi to report.
    """
    row = (
        _listing(business_id=business_id, base_url=base_url)
        .filter(directory__partner_uuid=partner_uuid)
        .only("business_id", "legal_name", "country", "currency", "entity_type", "is_active")
        .first()
    )
    return as_business(row) if row is not None else None


def partners_listing_business(
    *, partner_uuids: Collection[uuid.UUID], base_url: str, business_id: uuid.UUID
) -> dict[uuid.UUID, str]:
    """Which of these partners' directories list the business (and have not seen it go), with
    the name each gives it: one query, for offering another credential when one fails."""
    rows = (
        _listing(business_id=business_id, base_url=base_url)
        .filter(directory__partner_uuid__in=list(partner_uuids))
        .values_list("directory__partner_uuid", "legal_name")
    )
    return {partner_uuid: legal_name for partner_uuid, legal_name in rows}


def _listing(*, business_id: uuid.UUID, base_url: str) -> QuerySet[DirectoryBusiness]:
    """The rows of directories (of this Thredfi) that list the business and have not seen it go."""
    return DirectoryBusiness.objects.filter(
        directory__base_url=base_url, business_id=business_id, gone_at__isnull=True
    )


def as_business(row: DirectoryBusiness) -> Business:
    """A directory row as the client's record, for code that names or prices a business."""
    return Business(
        id=row.business_id,
        legal_name=row.legal_name or None,
        country=row.country or None,
        currency=row.currency or None,
        entity_type=row.entity_type or None,
        is_active=row.is_active,
    )


def _scoped(
    rows: QuerySet[DirectoryBusiness], scope: Collection[uuid.UUID] | None
) -> QuerySet[DirectoryBusiness]:
    """Only the businesses of a credential's scope (None: all of them)."""
    return rows if scope is None else rows.filter(business_id__in=list(scope))


def directory_picker(
    *, directory: BusinessDirectory, scope: Collection[uuid.UUID] | None = None
) -> list[DirectoryBusiness] | None:
    """Every business (of the scope), alphabetically, when there are few enough for a <select>."""
    businesses = _scoped(DirectoryBusiness.objects.filter(directory=directory), scope)
    rows = list(_in_order(_matching(businesses, ""))[: PICKER_MAX + 1])
    return rows if len(rows) <= PICKER_MAX else None


def recent_business_ids(
    *, user: AbstractBaseUser, partner_uuid: uuid.UUID, limit: int = RECENT_BUSINESSES
) -> list[uuid.UUID]:
    """The businesses this user searched or opened most recently with this partner."""
    recent: list[uuid.UUID] = []
    ids = (
        LookupEvent.objects.filter(user=user, partner_uuid=partner_uuid, outcome="ok")
        .exclude(business_id=None)
        .order_by("-created_at")
        .values_list("business_id", flat=True)
    )
    for business_id in ids[: limit * 10]:
        if business_id not in recent:
            recent.append(business_id)
            if len(recent) == limit:
                break
    return recent
