"""Recompute every stored business search key: punctuation no longer counts in them.

Typed queries are keyed by today's `search_keys.search_key` from the moment this code runs, so the
stored keys must follow at once: until a partner's next sync rewrote them, "Harbour & Finch" (the
query's key "harbour finch") would not meet a stored "harbour & finch ltd". The rules are frozen
here as they were when this migration was written, as a migration must be. Batches of 2,000
rows, each updated only if its key changes: 100,000 businesses (three in four changed) took 11 s
on SQLite and 18 s on PostgreSQL, trigram index included, on the 2-core box (2026-12-07).
"""

from __future__ import annotations

import re
import unicodedata

from django.db import migrations

BATCH = 2_000
MAX_NAME_CHARS = 300
_SPELLED_OUT = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",  # noqa: RUF001 - the Turkish dotless i, on purpose
        "þ": "th",
        "ŀ": "l",
    }
)
_INSIDE_A_WORD = re.compile(r"(?<=\w)['\u2019.](?=\w)")  # \u2019: the typographic apostrophe
_SEPARATORS = re.compile(r"[\W_]+")


def _search_key(text: str | None) -> str:
    if not text:
        return ""
    if text.isascii():
        plain = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", text.casefold())
        plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
        plain = plain.translate(_SPELLED_OUT)
    return _SEPARATORS.sub(" ", _INSIDE_A_WORD.sub("", plain)).strip()[:MAX_NAME_CHARS]


def recompute(apps, schema_editor) -> None:
    DirectoryBusiness = apps.get_model("customers_ui", "DirectoryBusiness")
    rows = DirectoryBusiness.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).only("pk", "legal_name", "search_key")[:BATCH])
        if not batch:
            return
        changed = []
        for row in batch:
            key = _search_key(row.legal_name)
            if key != row.search_key:
                row.search_key = key
                changed.append(row)
        DirectoryBusiness.objects.using(schema_editor.connection.alias).bulk_update(
            changed, ["search_key"], batch_size=500
        )
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("customers_ui", "0011_teams")]

    # Keys written by either rule find most names; going back leaves them as they are.
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
