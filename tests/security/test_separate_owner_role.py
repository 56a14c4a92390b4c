"""docs/operations.md's "separate owner role" recipe, followed as written.

On a PostgreSQL cluster of the test's own (its superuser is the "administrator" the recipe talks
to): the recipe's SQL block runs in its two halves around `migrate` run as the owner, with the
database renamed and passwords filled in. Then, as the web processes' role, a `manage.py shell`
does the app's everyday writes (a user, a session, the database cache, audit rows) and the
purge, and tries what the recipe exists to take away: DDL against the audit trail's triggers and
floor function, and UPDATE or TRUNCATE of audit rows. Only on the PostgreSQL run of .ci/run,
where PostgreSQL is what is deployed (the cluster costs ~5 s).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.postgresql import on_postgresql

pytestmark = [*on_postgresql, pytest.mark.processes]

ROOT = Path(__file__).resolve().parents[2]
RECIPE_HEADING = "### For those who need more: a separate owner role"
AFTER_MIGRATE = "-- After `migrate` has run as dashboard_owner"

APP_ROLE_SCRIPT = r"""
import json
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from customers_ui.models import LookupEvent, SignInEvent

with connection.cursor() as cursor:
    cursor.execute("SELECT current_user")
    role = cursor.fetchone()[0]
get_user_model().objects.create_user("recipe-agent", password="a-long-password-of-theirs")
session = SessionStore()
session["seen"] = True
session.create()
cache.set("recipe", 1)
LookupEvent.objects.create(username="recipe-agent", action="view", outcome="ok")
SignInEvent.objects.create(kind="sign_in", username="recipe-agent")
call_command("purge_audit", verbosity=0)
ATTACKS = {
    "drop trigger": "DROP TRIGGER IF EXISTS customers_ui_lookupevent_append_only"
    " ON customers_ui_lookupevent",
    "disable triggers": "ALTER TABLE customers_ui_lookupevent DISABLE TRIGGER ALL",
    "replace floor": "CREATE OR REPLACE FUNCTION customers_ui_audit_retention_days()"
    " RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 0'",
    "update audit": "UPDATE customers_ui_lookupevent SET outcome = 'rewritten'",
    "truncate audit": "TRUNCATE customers_ui_signinevent",
    "drop table": "DROP TABLE customers_ui_auditpurge",
}
outcomes = {}
for name, sql in ATTACKS.items():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
        outcomes[name] = "done"
    except DatabaseError as error:
        outcomes[name] = str(error).splitlines()[0]
print("RESULT " + json.dumps({
    "role": role,
    "cache": cache.get("recipe"),
    "events": [LookupEvent.objects.count(), SignInEvent.objects.count()],
    "attacks": outcomes,
}))
"""


def recipe_sql() -> tuple[list[str], list[str]]:
    """The recipe's statements before and after `migrate`, for a database called "recipe"."""
    text = (ROOT / "docs" / "operations.md").read_text()
    block = text.split(RECIPE_HEADING, 1)[1].split("```sql", 1)[1].split("```", 1)[0]
    before, after = block.split(AFTER_MIGRATE, 1)
    return _statements(before), _statements(after.split("\n", 1)[1])


def _statements(sql: str) -> list[str]:
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    text = re.sub(r"\bDATABASE dashboard\b", "DATABASE recipe", "\n".join(lines))
    text = text.replace("'…'", "'not-used-the-cluster-trusts-loopback'")
    return [statement.strip() for statement in text.split(";") if statement.strip()]


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    from bench.harness import run_manage

    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": ""}  # the database cache
    return run_manage(env, *args)


@pytest.fixture(scope="module")
def recipe_followed():
    """A cluster where the recipe has been followed; yields the web processes' DATABASE_URL."""
    import psycopg

    from bench.backing import PostgresServer

    before, after = recipe_sql()
    with PostgresServer(database="recipe") as server:
        base = f"postgresql://{{role}}@127.0.0.1:{server.port}/recipe"
        with psycopg.connect(base.format(role="postgres"), autocommit=True) as admin:
            for statement in before:
                admin.execute(statement)
        migrated = manage(base.format(role="dashboard_owner"), "migrate", "--noinput")
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        with psycopg.connect(base.format(role="postgres"), autocommit=True) as admin:
            for statement in after:
                admin.execute(statement)
        yield base.format(role="dashboard_app")


def test_the_recipe_is_where_the_test_reads_it() -> None:
    before, after = recipe_sql()
    assert any(s.startswith("CREATE ROLE dashboard_app") for s in before)
    assert any(s.startswith("REVOKE UPDATE, TRUNCATE ON customers_ui_lookupevent") for s in after)


def test_the_app_role_does_the_apps_work_and_cannot_touch_the_audit_guard(
    recipe_followed,
) -> None:
    shell = manage(recipe_followed, "shell", "-c", APP_ROLE_SCRIPT)
    assert shell.returncode == 0, shell.stderr[-3000:]
    result = json.loads(shell.stdout.split("RESULT ", 1)[1])

    assert result["role"] == "dashboard_app"
    assert result["cache"] == 1
    assert result["events"] == [1, 1]  # written, and too young for the purge to take
    for attack, outcome in result["attacks"].items():
        assert outcome != "done", f"the app's role could {attack}"
        assert "permission denied" in outcome or "must be owner" in outcome, (attack, outcome)
