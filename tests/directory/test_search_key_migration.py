"""Migration 0012 recomputes the stored search keys with the app's own rules."""

from __future__ import annotations

import importlib
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from customers_ui.directory.search_keys import search_key
from customers_ui.models import BusinessDirectory, DirectoryBusiness

migration = importlib.import_module("customers_ui.migrations.0012_search_keys_without_punctuation")

NAMES = [
    "Harbour & Finch Ltd.",
    "O'Brien Joinery Ltd",
    "Łódź Logistics sp. z o.o.",
    "Müller\u2013Holzbau GmbH & Co. KG",
    "山田商事株式会社",
    "",
]


@pytest.mark.django_db
def test_keys_stored_under_the_old_rules_are_recomputed(monkeypatch):
    directory = BusinessDirectory.objects.create(partner_uuid=uuid.uuid4(), base_url="https://x")
    now = timezone.now()
    for name in NAMES:  # as the old rules stored them: punctuation kept
        DirectoryBusiness.objects.create(
            directory=directory,
            business_id=uuid.uuid4(),
            legal_name=name,
            search_key=" ".join(name.lower().split()),
            last_seen_at=now,
        )
    monkeypatch.setattr(migration, "BATCH", 4)  # more than one batch

    class Apps:
        @staticmethod
        def get_model(app_label, name):
            return DirectoryBusiness

    class Editor:
        pass

    Editor.connection = connection
    migration.recompute(Apps, Editor)

    stored = dict(DirectoryBusiness.objects.values_list("legal_name", "search_key"))
    assert stored == {name: search_key(name) for name in NAMES}
    assert stored["Harbour & Finch Ltd."] == "harbour finch ltd"
