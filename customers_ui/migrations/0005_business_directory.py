"""The business directory of each partner, and each user's preferences (time zone).

The directory's search indexes differ per database and are made here (`create_search_indexes`):
a name index that gives result order and "starts with" ranges (byte order on PostgreSQL), and on
PostgreSQL a trigram index (pg_trgm), so a name-substring search (`LIKE '%zurich%'`) reads a few
index pages instead of every business of a big partner. Figures: `make bench-directory`.
"""

import logging

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models, transaction

logger = logging.getLogger(__name__)

TRIGRAM_INDEX = "directory_business_trigram"
NAME_INDEX = "directory_business_name"
TABLE = "customers_ui_directorybusiness"


def create_search_indexes(apps, schema_editor):
    """The directory's search indexes, per database (the model cannot declare them: a collation
    or an operator class that one database needs, another refuses).

    Every search reads matches in name order and stops after a page, so the name index gives
    that order within a directory and answers "starts with" as a range. PostgreSQL compares it
    in byte order (COLLATE "C"), whatever the database's own collation, which makes "starts
    with" a range there too. With pg_trgm (a trusted extension since PostgreSQL 13, so a
    database owner may create it) a GIN trigram index finds rare fragments anywhere in a name;
    without it search still works, only slower at 100,000 businesses: migrating must not fail
    over a missing privilege.
    """
    if schema_editor.connection.vendor != "postgresql":
        model = apps.get_model("customers_ui", "DirectoryBusiness")
        schema_editor.add_index(model, _name_index())  # SQLite compares bytes already
        return
    schema_editor.execute(
        f'CREATE INDEX {NAME_INDEX} ON {TABLE} (directory_id, search_key COLLATE "C", id)'
    )
    # With the default statistics the planner guesses ~1 % of names match any '%text%' and
    # scans the table (33 ms at 100,000 businesses for "zurich"); a 1,000-entry histogram lets
    # it see how rare most names are and take the trigram index (0.5 ms).
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN search_key SET STATISTICS 1000")
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # any refusal means "no extension", reported below
        logger.warning("pg_trgm unavailable (%s): business search will scan instead", error)
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON {TABLE} USING gin (search_key gin_trgm_ops)"
    )


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        model = apps.get_model("customers_ui", "DirectoryBusiness")
        schema_editor.remove_index(model, _name_index())
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN search_key SET STATISTICS -1")


def _name_index() -> models.Index:
    return models.Index(fields=["directory", "search_key"], name=NAME_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("customers_ui", "0004_sign_in"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BusinessDirectory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("partner_uuid", models.UUIDField(verbose_name="partner UUID")),
                ("base_url", models.CharField(max_length=200, verbose_name="Thredfi base URL")),
                ("sync_started_at", models.DateTimeField(blank=True, null=True)),
                ("sync_finished_at", models.DateTimeField(blank=True, null=True)),
                ("last_complete_sync_at", models.DateTimeField(blank=True, null=True)),
                ("known_count", models.PositiveIntegerField(default=0)),
                ("upstream_count", models.PositiveIntegerField(blank=True, null=True)),
                ("last_error", models.CharField(blank=True, max_length=300)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name_plural": "business directories",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("partner_uuid", "base_url"),
                        name="one_directory_per_partner_origin",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DirectoryBusiness",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("business_id", models.UUIDField()),
                ("legal_name", models.CharField(blank=True, max_length=300)),
                ("search_key", models.CharField(blank=True, max_length=300)),
                ("country", models.CharField(blank=True, max_length=8)),
                ("currency", models.CharField(blank=True, max_length=8)),
                ("entity_type", models.CharField(blank=True, max_length=64)),
                ("is_active", models.BooleanField(null=True)),
                ("last_seen_at", models.DateTimeField()),
                ("gone_at", models.DateTimeField(blank=True, null=True)),
                (
                    "directory",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="businesses",
                        to="customers_ui.businessdirectory",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "directory businesses",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("directory", "business_id"),
                        name="one_entry_per_directory_business",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="UserPreferences",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("time_zone", models.CharField(blank=True, max_length=64)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="preferences",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name_plural": "user preferences"},
        ),
        migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False),
    ]
