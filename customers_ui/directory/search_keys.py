"""The one normalisation both stored names and typed queries go through, so they can meet.

"zurich" must find "Zürich Uhren AG" and "LODZ" "Łódź Logistics sp. z o.o.": names and queries are
casefolded, decomposed (NFKD) with their combining accents dropped, and the few Latin letters that
carry no separable accent (ø, ł, æ, ß via casefold…) spelled the way people type them. Computed
once per name when it is stored, so a search is a plain substring match on an indexed column.
"""

from __future__ import annotations

import re
import unicodedata

from customers_ui.models.directory import MAX_NAME_CHARS

# Letters NFKD leaves whole: what someone without the key on their keyboard types instead.
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
_SPACES = re.compile(r"\s+")


def search_key(text: str | None) -> str:
    """Casefolded, accent-free, single-spaced text (at most the stored name's length)."""
    if not text:
        return ""
    if text.isascii():  # two names in three: nothing to fold but case (and it is 10x faster)
        return _SPACES.sub(" ", text.lower()).strip()[:MAX_NAME_CHARS]
    folded = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.translate(_SPELLED_OUT)).strip()[:MAX_NAME_CHARS]
