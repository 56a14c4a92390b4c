"""The directory's indexes: what makes /businesses/?q= one indexed query at any partner size."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, "customers_ui_directorybusiness"
        )
    return {name: str(details.get("type")) for name, details in constraints.items()}


def test_name_and_uniqueness_indexes_exist_on_every_database():
    indexes = _indexes()
    assert "directory_business_name" in indexes
    assert "one_entry_per_directory_business" in indexes


def test_postgresql_has_a_byte_ordered_name_index_and_a_trigram_index():
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's (SQLite scans the partner's rows)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            ["customers_ui_directorybusiness"],
        )
        definitions = dict(cursor.fetchall())
        assert "USING gin (search_key gin_trgm_ops)" in definitions["directory_business_trigram"]
        assert 'search_key COLLATE "C"' in definitions["directory_business_name"]
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = "
            "'customers_ui_directorybusiness'::regclass AND attname = 'search_key'"
        )
        assert cursor.fetchone()[0] == 1000
