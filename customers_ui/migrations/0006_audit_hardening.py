"""Audit trail hardening: who and where on each lookup, and append-only in the database itself.

On PostgreSQL a trigger refuses UPDATE and DELETE of lookup and sign-in events, whoever sends
them (a shell, a script, a compromised admin), except:
- the retention purge, which sets `customers_ui.audit_purge` for its own transaction only
  (`python manage.py purge_audit`), and
- deleting a user, which only blanks the row's user link (the username stays on the row).
Other databases rely on the model's guards (customers_ui.models.audit).
"""

from django.db import migrations, models

AUDIT_TABLES = ("customers_ui_lookupevent", "customers_ui_signinevent")

TRIGGER_FUNCTION = """
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
"""


def table_trigger(table: str) -> tuple[str, str]:
    """(create, drop) SQL of the append-only trigger on one audit table."""
    name = f"{table}_append_only"
    create = (
        f"DROP TRIGGER IF EXISTS {name} ON {table}; "
        f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION customers_ui_audit_append_only();"
    )
    return create, f"DROP TRIGGER IF EXISTS {name} ON {table};"


def install_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TRIGGER_FUNCTION, params=None)
    for table in AUDIT_TABLES:
        schema_editor.execute(table_trigger(table)[0])


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in AUDIT_TABLES:
        schema_editor.execute(table_trigger(table)[1])


class Migration(migrations.Migration):
    dependencies = [("customers_ui", "0005_business_directory")]

    operations = [
        migrations.AddField(
            model_name="lookupevent",
            name="dashboard_request_id",
            field=models.CharField(blank=True, max_length=128),
        ),
        migrations.AddField(
            model_name="lookupevent",
            name="client_ip",
            field=models.GenericIPAddressField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="lookupevent",
            name="fetch_site",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.RunPython(install_trigger, remove_trigger),
    ]
