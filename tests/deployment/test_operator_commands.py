"""The operator's documented commands, as the test session's database template runs them.

`tests/dashboards.py` builds one database per run with `manage.py migrate`, a `manage.py shell`
script and `manage.py store_partner_credentials` (API key on stdin), then copies it for every
gunicorn dashboard. These tests read what the commands left in that database: so every run still
proves the commands, without each server paying for them.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid

import pytest

from sandbox.demo import BIG_API_KEY, BIG_PARTNER_UUID, DEMO_API_KEY, DEMO_PARTNER_UUID
from tests.dashboards import BIG_USER

pytestmark = pytest.mark.processes  # uses the template, built by manage.py processes


def rows(template, query: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(template.sqlite_file)) as db:
        return db.execute(query).fetchall()


def test_migrate_and_the_shell_script_made_the_accounts(dashboard_template) -> None:
    users = rows(dashboard_template, "SELECT username, password FROM auth_user ORDER BY username")
    assert [name for name, _ in users] == ["demo", BIG_USER]
    assert all(password.startswith("pbkdf2_sha256$") for _, password in users)  # never plain
    applied = rows(
        dashboard_template, "SELECT name FROM django_migrations WHERE app = 'customers_ui'"
    )
    assert ("0006_audit_hardening",) in applied


def test_store_partner_credentials_kept_each_key_encrypted_with_a_default(
    dashboard_template,
) -> None:
    stored = rows(
        dashboard_template,
        "SELECT u.username, c.partner_uuid, c.api_key_encrypted, c.api_key_hint, c.is_default "
        "FROM customers_ui_partnercredential c JOIN auth_user u ON u.id = c.owner_id "
        "ORDER BY u.username",
    )
    assert [(user, str(uuid.UUID(partner))) for user, partner, *_ in stored] == [
        ("demo", DEMO_PARTNER_UUID),
        (BIG_USER, BIG_PARTNER_UUID),
    ]
    for (_, _, encrypted, hint, is_default), key in zip(
        stored, (DEMO_API_KEY, BIG_API_KEY), strict=True
    ):
        assert key not in encrypted and key.endswith(hint)
        assert is_default
