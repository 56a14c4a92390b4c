"""The database cache table whatever CACHES says: with REDIS_URL set it is the fail-soft cache's
fallback while Redis does not answer (customers_ui/core/fail_soft_cache.py), and 0002 created it
only when the database cache was the configured one."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

# dashboard.backing_services.DATABASE_CACHE_TABLE, frozen here as migrations are.
DATABASE_CACHE_TABLE = "dashboard_cache"


def create_fallback_table(apps, schema_editor):
    # No-op when the table exists.
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, DATABASE_CACHE_TABLE, False)


class Migration(migrations.Migration):
    dependencies = [("customers_ui", "0009_audit_trigger_hardening")]

    operations = [migrations.RunPython(create_fallback_table, migrations.RunPython.noop)]
