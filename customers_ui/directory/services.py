"""Use cases of the directory: open it for a credential, find a business, feed the home page.

`directory_open` is the gate every directory page goes through: it proves the credential still
works (one small call at most every `access.PROOF_FRESH_SECONDS`), keeps the directory fresh
(in the background, stale-while-revalidate) and hands back either the directory or the failure
to show. Nothing here waits for a whole sync: a page answers with what is already known.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone

from customers_ui.core.pasted_links import linked_business
from customers_ui.core.problems import LookupFailed
from customers_ui.directory import access, refresh, selectors
from customers_ui.directory.sync import (
    PAGE_SIZE,
    REFUSALS,
    UPSTREAM_FAILURES,
    directory_sync_now,
)
from customers_ui.directory.writer import directory_store_page
from customers_ui.models import BusinessDirectory, DirectoryBusiness, PartnerCredential
from customers_ui.teams.scope import scope_check
from customers_ui.thredfi import Business, BusinessPage
from customers_ui.upstream.clients import thredfi_client


@dataclass(frozen=True)
class DirectoryAccess:
    """A credential's view of its partner's directory, or the failure that keeps it closed."""

    directory: BusinessDirectory | None = None
    failure: LookupFailed | None = None
    scope: frozenset[uuid.UUID] | None = None  # the credential's businesses; None: all of them

    @cached_property
    def status(self) -> selectors.DirectoryStatus | None:
        if self.directory is None:
            return None
        return selectors.directory_status(directory=self.directory, scope=self.scope)


def _directory_for(credential: PartnerCredential) -> BusinessDirectory:
    return selectors.directory_for_partner(credential.partner_uuid)


def _is_whole_list(page: BusinessPage) -> bool:
    return not page.has_next and (page.count is None or page.count <= len(page.results))


def directory_open(*, credential: PartnerCredential) -> DirectoryAccess:
    """The credential's partner directory, if the credential works; refreshed as needed.

    A first visit reads page 1 (that is the access check), stores it so search has something at
    once, and starts the full sync in the background. A partner whose businesses all fit on that
    page is synced there and then, with no further call.
    """
    directory = _directory_for(credential)
    age = access.access_proof_age(credential=credential)
    page: BusinessPage | None = None
    if age is None or age > access.PROOF_FRESH_SECONDS:
        try:
            page = thredfi_client(credential).list_businesses_page(1, PAGE_SIZE)
        except REFUSALS as error:
            access.access_revoke(credential=credential)
            return DirectoryAccess(failure=LookupFailed(error, subject="business"))
        except UPSTREAM_FAILURES as error:
            if age is None or age > access.PROOF_KEPT_SECONDS:
                return DirectoryAccess(failure=LookupFailed(error, subject="business"))
            # Thredfi is not answering, not refusing: a recent proof still opens the directory.
        else:
            access.access_grant(credential=credential)
    if refresh.directory_is_stale(directory=directory):
        small = page is not None and _is_whole_list(page)
        known_small = directory.upstream_count is not None and directory.upstream_count <= PAGE_SIZE
        if small or (page is None and known_small and directory.last_complete_sync_at):
            # One page is the whole list: sync now (no call at all if we hold the page already).
            directory_sync_now(directory=directory, credential=credential, first_page=page)
        else:
            if page is not None and directory.known_count == 0:
                # Search has something at once; the sync stores this page again as its own.
                directory_store_page(
                    directory=directory, businesses=page.results, seen_at=timezone.now()
                )
                BusinessDirectory.objects.filter(pk=directory.pk).update(
                    known_count=len(page.results), upstream_count=page.count
                )
            refresh.directory_refresh_in_background(
                directory=directory, credential=credential, first_page=page
            )
        directory.refresh_from_db()
    return DirectoryAccess(directory=directory, scope=credential.scope_ids)


# -- finding a business ------------------------------------------------------------------------


def pasted_business_id(text: str) -> uuid.UUID | None:
    """A business id pasted instead of a name: bare, or in a dashboard or Thredfi API link."""
    text = text.strip()
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    linked = linked_business(text)
    return linked.business_id if linked is not None else None


@dataclass(frozen=True)
class BusinessFind:
    """A search of the directory, or (for a pasted id) where to go instead."""

    query: str
    open_url: str | None = None
    access: DirectoryAccess = field(default_factory=DirectoryAccess)
    matches: selectors.BusinessMatches | None = None


def business_find(
    *,
    user: AbstractBaseUser,
    credential: PartnerCredential,
    query: str,
    page: int = 1,
    page_size: int = selectors.PAGE_SIZE,
) -> BusinessFind:
    """Businesses of the credential's partner whose name contains `query`, recent ones first.

    Raises `LookupFailed` when the credential cannot open the directory. A pasted business id
    needs no directory: Thredfi itself answers on the page it leads to.
    """
    business_id = pasted_business_id(query)
    if business_id is not None:
        scope_check(credential=credential, business_id=business_id)
        url = reverse("customers_ui:customer_list", args=[business_id])
        return BusinessFind(query=query, open_url=url)
    opened = directory_open(credential=credential)
    if opened.failure is not None:
        raise opened.failure
    assert opened.directory is not None
    first = selectors.recent_business_ids(user=user, partner_uuid=credential.partner_uuid)
    matches = selectors.business_search(
        directory=opened.directory,
        query=query,
        page=page,
        page_size=page_size,
        first=first,
        scope=credential.scope_ids,
    )
    return BusinessFind(query=query, access=opened, matches=matches)


def business_by_legal_name(*, credential: PartnerCredential, name: str) -> list[DirectoryBusiness]:
    """The credential's partner's businesses whose legal name is exactly `name` (any case).

    For `/go` links, which name a business the way a helpdesk knows it. Raises `LookupFailed`
    when the credential cannot open the directory.
    """
    opened = directory_open(credential=credential)
    if opened.failure is not None:
        raise opened.failure
    assert opened.directory is not None
    return selectors.businesses_named(directory=opened.directory, name=name)


# -- the home page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeDirectory:
    """What the home page shows of the directory: a picker for a few, a finder for many."""

    access: DirectoryAccess
    picker: list[Business] | None  # every business, when a <select> will do
    recent: list[tuple[uuid.UUID, DirectoryBusiness | None]]  # the user's recent businesses
    chosen: DirectoryBusiness | None  # the business the customer search goes to
    chosen_id: uuid.UUID | None
    rows: dict[uuid.UUID, DirectoryBusiness]

    def named(self, ids: Iterable[uuid.UUID | None]) -> list[Business]:
        """Businesses among `ids` the directory can name (for the recent lookups list)."""
        rows = self.rows
        return [selectors.as_business(rows[i]) for i in ids if i is not None and i in rows]


def directory_home(
    *, user: AbstractBaseUser, credential: PartnerCredential, also_name: Iterable[uuid.UUID | None]
) -> HomeDirectory:
    """The home page's directory: opened, with the user's recent and chosen businesses named
    in one query (plus `also_name`: the businesses of the recent lookups)."""
    opened = directory_open(credential=credential)
    if opened.directory is None:
        return HomeDirectory(opened, None, [], None, credential.last_business_id, {})
    status = opened.status
    assert status is not None
    picker = None
    if not status.filling and not status.partial:
        rows = selectors.directory_picker(directory=opened.directory, scope=credential.scope_ids)
        picker = None if rows is None else [selectors.as_business(row) for row in rows]
    recent_ids = [
        business_id
        for business_id in selectors.recent_business_ids(
            user=user, partner_uuid=credential.partner_uuid
        )
        if credential.in_scope(business_id)
    ]
    last = credential.last_business_id if credential.in_scope(credential.last_business_id) else None
    chosen_id = last or (recent_ids[0] if recent_ids else None)
    rows = selectors.directory_businesses(
        directory=opened.directory, ids=[*recent_ids, chosen_id, *also_name]
    )
    return HomeDirectory(
        access=opened,
        picker=picker,
        recent=[(business_id, rows.get(business_id)) for business_id in recent_ids],
        chosen=rows.get(chosen_id) if chosen_id else None,
        chosen_id=chosen_id,
        rows=rows,
    )
