"""Audit trail hardening, second round (issue #20, M2).

0006's trigger let any DELETE through once a session said `SET LOCAL customers_ui.audit_purge =
'on'` (no privilege needed), and TRUNCATE was not guarded at all. From here, on PostgreSQL:
- DELETE of a lookup or sign-in event passes only for a row older than the retention floor (the
  function customers_ui_audit_retention_days(), rewritten from AUDIT_RETENTION_DAYS by DDL at
  every `migrate`), and only in the purge's transaction; a session variable alone opens nothing;
- UPDATE is refused always. Deleting a user therefore must not touch the rows: the user links
  lose their ON DELETE SET NULL (and their foreign-key constraint) and keep the user's id;
- TRUNCATE of the audit tables is refused (a statement trigger);
- every purge leaves an AuditPurge row, which nobody may update, delete or truncate.
A role that owns the tables can still drop triggers (DDL): SECURITY.md and docs/operations.md
("Audit trail hardening") say what that means and how a separate owner role closes it.
"""

import uuid

from django.conf import settings
from django.db import migrations, models

AUDIT_TABLES = ("customers_ui_lookupevent", "customers_ui_signinevent")
PURGE_TABLE = "customers_ui_auditpurge"
FLOOR_FUNCTION = "customers_ui_audit_retention_days"

APPEND_ONLY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION customers_ui_audit_append_only() RETURNS trigger AS $$
DECLARE
    keep_days integer := {FLOOR_FUNCTION}();
BEGIN
    IF TG_OP = 'DELETE'
       AND keep_days IS NOT NULL
       AND OLD.created_at < now() - make_interval(days => keep_days)
       AND current_setting('customers_ui.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % on % refused (rows younger than % days '
                    'are never deleted, rows are never updated)',
                    TG_OP, TG_TABLE_NAME, coalesce(keep_days::text, 'all')
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

REFUSE_FUNCTION = """
CREATE OR REPLACE FUNCTION customers_ui_audit_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _floor_sql(days):
    body = "NULL::integer" if not days or days < 1 else str(int(days))
    return (
        f"CREATE OR REPLACE FUNCTION {FLOOR_FUNCTION}() RETURNS integer "
        f"LANGUAGE sql STABLE AS $$ SELECT {body} $$"
    )


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    # Written again from the setting by every `migrate` (customers_ui.signals).
    execute(_floor_sql(getattr(settings, "AUDIT_RETENTION_DAYS", 0)), params=None)
    execute(APPEND_ONLY_FUNCTION, params=None)
    execute(REFUSE_FUNCTION, params=None)
    for table in AUDIT_TABLES:
        execute(
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}; "
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION customers_ui_audit_append_only();"
        )
    for table in (*AUDIT_TABLES, PURGE_TABLE):
        execute(
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}; "
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION customers_ui_audit_refuse();"
        )
    execute(
        f"DROP TRIGGER IF EXISTS {PURGE_TABLE}_append_only ON {PURGE_TABLE}; "
        f"CREATE TRIGGER {PURGE_TABLE}_append_only BEFORE UPDATE OR DELETE ON {PURGE_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION customers_ui_audit_refuse();"
    )


def uninstall(apps, schema_editor):
    """Back to 0006's triggers (which 0006's own reverse then removes)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    for table in (*AUDIT_TABLES, PURGE_TABLE):
        execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    execute(f"DROP TRIGGER IF EXISTS {PURGE_TABLE}_append_only ON {PURGE_TABLE};")
    execute("DROP FUNCTION IF EXISTS customers_ui_audit_refuse();")
    execute(
        """
CREATE OR REPLACE FUNCTION customers_ui_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('customers_ui.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL AND OLD.user_id IS NOT NULL
       AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""",
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers_ui", "0008_signin_hardening"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="lookupevent",
            name="user",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=models.deletion.DO_NOTHING,
                related_name="lookup_events",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="signinevent",
            name="user",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=models.deletion.DO_NOTHING,
                related_name="sign_in_events",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.CreateModel(
            name="AuditPurge",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("older_than_days", models.PositiveIntegerField()),
                ("cutoff", models.DateTimeField()),
                ("removed_count", models.PositiveIntegerField(default=0)),
                ("removed", models.JSONField(default=dict)),
                ("oldest_removed", models.DateTimeField(blank=True, null=True)),
                ("newest_removed", models.DateTimeField(blank=True, null=True)),
                ("ran_by", models.CharField(blank=True, max_length=255)),
                ("database_role", models.CharField(blank=True, max_length=150)),
            ],
            options={"ordering": ["-created_at"]},
        ),
        migrations.RunPython(install, uninstall),
    ]
