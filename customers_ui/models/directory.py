"""Each partner's business directory: what Thredfi lists, kept here so finding one is a query.

A partner can have tens of thousands of businesses; reading them from Thredfi on every page would
take seconds. The directory is filled by `customers_ui.directory.sync` and read by its selectors.
It is keyed by the partner and the Thredfi origin, never by a credential: every support person
whose credential works for the partner reads the same rows, fetched once.
"""

from __future__ import annotations

from django.db import models

# Longest legal name kept (and searched); longer upstream names are cut.
MAX_NAME_CHARS = 300


class BusinessDirectory(models.Model):
    """One partner's directory at one Thredfi origin, with how its syncs went."""

    partner_uuid = models.UUIDField("partner UUID")
    base_url = models.CharField("Thredfi base URL", max_length=200)
    sync_started_at = models.DateTimeField(null=True, blank=True)
    sync_finished_at = models.DateTimeField(null=True, blank=True)
    # When a sync last read every page: the directory's age for the refresh policy.
    last_complete_sync_at = models.DateTimeField(null=True, blank=True)
    # Businesses known and not gone; and how many Thredfi said it has, at the last answer.
    known_count = models.PositiveIntegerField(default=0)
    upstream_count = models.PositiveIntegerField(null=True, blank=True)
    # Why the last sync stopped short ("" when it finished): shown beside "N of M known".
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "business directories"
        constraints = [
            models.UniqueConstraint(
                fields=["partner_uuid", "base_url"], name="one_directory_per_partner_origin"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner_uuid} at {self.base_url}"


class DirectoryBusiness(models.Model):
    """One business as Thredfi last listed it, with a key for case/accent-blind search."""

    directory = models.ForeignKey(
        BusinessDirectory, on_delete=models.CASCADE, related_name="businesses"
    )
    business_id = models.UUIDField()
    legal_name = models.CharField(max_length=MAX_NAME_CHARS, blank=True)
    # `search_keys.search_key(legal_name)`: casefolded, accents stripped, spaces collapsed.
    search_key = models.CharField(max_length=MAX_NAME_CHARS, blank=True)
    country = models.CharField(max_length=8, blank=True)
    currency = models.CharField(max_length=8, blank=True)
    entity_type = models.CharField(max_length=64, blank=True)
    is_active = models.BooleanField(null=True)
    last_seen_at = models.DateTimeField()
    # Set when a complete sync no longer saw it; kept (not deleted) so a page that shows it
    # can still say what happened to it. Cleared if it comes back.
    gone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "directory businesses"
        constraints = [
            models.UniqueConstraint(
                fields=["directory", "business_id"], name="one_entry_per_directory_business"
            )
        ]
        # The search indexes depend on the database and are made by migration 0005
        # (`create_search_indexes`): by name within a directory on every database, in byte
        # order on PostgreSQL (COLLATE "C", whatever the database's collation), plus a pg_trgm
        # GIN index there for fragments anywhere in a name.

    def __str__(self) -> str:
        return self.legal_name or str(self.business_id)
