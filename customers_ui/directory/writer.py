"""The directory's SQL writer: pages of businesses upserted in multi-row statements, and the
planner statistics brought up to date after a big change.

Kept apart from `sync.py`, which decides what to fetch and when a read is complete: this module
only knows how rows reach the `DirectoryBusiness` table fast, on SQLite and PostgreSQL alike. Table
and column names come from the model; every value is a query parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction

from customers_ui.directory.search_keys import search_key
from customers_ui.models import BusinessDirectory, DirectoryBusiness
from customers_ui.models.directory import MAX_NAME_CHARS
from customers_ui.thredfi import Business

ROWS_PER_STATEMENT = 1_000  # an upsert's rows (PostgreSQL takes up to 65,535 parameters)

# A row is its key (the conflict target) and its values; an upsert of a row seen again updates
# the values and brings it back if it was marked gone.
_KEY_FIELDS = ["directory", "business_id"]
_VALUE_FIELDS = [
    "legal_name",
    "search_key",
    "country",
    "currency",
    "entity_type",
    "is_active",
    "last_seen_at",
]
_INSERTED_FIELDS = [*_KEY_FIELDS, *_VALUE_FIELDS]
_UPDATED_FIELDS = [*_VALUE_FIELDS, "gone_at"]


def _upsert_sql(rows: int) -> str:
    """INSERT … VALUES (…), (…) ON CONFLICT DO UPDATE for `rows` rows: one statement, one round
    trip, spelled the same on SQLite and PostgreSQL. Built from the model's own names."""
    meta = DirectoryBusiness._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in _INSERTED_FIELDS)
    key = ", ".join(quote(meta.get_field(name).column) for name in _KEY_FIELDS)
    row = "(" + ", ".join(["%s"] * len(_INSERTED_FIELDS)) + ", NULL)"  # gone_at: not gone
    updates = ", ".join(
        f"{quote(meta.get_field(name).column)} = excluded.{quote(meta.get_field(name).column)}"
        for name in _UPDATED_FIELDS
    )
    # Only the model's table and column names go into the text; every value is a parameter.
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}, {quote('gone_at')}) "  # noqa: S608
        f"VALUES {', '.join([row] * rows)} "
        f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
    )


def directory_store_page(
    *, directory: BusinessDirectory, businesses: Iterable[Business], seen_at: datetime
) -> int:
    """Upsert a page of businesses as seen at `seen_at` (bringing back any marked gone).

    One multi-row statement per page rather than `bulk_create` or `executemany`: building and
    adapting a model instance per business, or a statement per row, was most of a 100,000-business
    sync's time, and the writer shares its process with the pages it serves meanwhile.
    """
    uuid_field = DirectoryBusiness._meta.get_field("business_id")
    seen = connection.ops.adapt_datetimefield_value(seen_at)
    rows = [
        (
            directory.pk,
            uuid_field.get_db_prep_value(business.id, connection),
            (business.legal_name or "")[:MAX_NAME_CHARS],
            search_key(business.legal_name),
            (business.country or "")[:8],
            (business.currency or "")[:8],
            (business.entity_type or "")[:64],
            business.is_active,
            seen,
        )
        for business in businesses
    ]
    if not rows:
        return 0
    per_statement = ROWS_PER_STATEMENT
    if connection.features.max_query_params:  # SQLite: at most 999 parameters a statement
        per_statement = max(1, connection.features.max_query_params // len(_INSERTED_FIELDS))
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(_upsert_sql(len(chunk)), [value for row in chunk for value in row])
    return len(rows)


def directory_statistics_refresh() -> None:
    """After a sync changed many rows (a first fill above all), bring PostgreSQL's view of the
    directory up to date at once rather than when autovacuum gets to it: statistics (until then
    it guesses that a '%text%' search matches 1 % of names and scans the table instead of using
    the trigram index) and the trigram index's pending list (which every search reads until it
    is merged)."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(DirectoryBusiness._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
            "WHERE c.relname = 'directory_business_trigram' AND c.relkind = 'i'"
        )
