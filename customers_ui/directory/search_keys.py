"""The one normalisation both stored names and typed queries go through, so they can meet.

"zurich" must find "Zürich Uhren AG" and "LODZ" "Łódź Logistics sp. z o.o.": names and queries are
casefolded, decomposed (NFKD) with their combining accents dropped, and the few Latin letters that
carry no separable accent (ø, ł, æ, ß via casefold…) spelled the way people type them.
Punctuation is a space ("Harbour&Finch", "Finch Ltd." find "Harbour & Finch Ltd"), except inside a
word, where it goes ("obrien" finds "O'Brien", "jp" "J.P."). Computed once per name when it is
stored, so a search is a plain substring match on an indexed column. Migration 0012 recomputed
the stored keys when punctuation stopped counting: a change here needs a migration like it.
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
# An apostrophe or a dot between two letters or digits (O'Brien, J.P., o.o.) joins them.
_INSIDE_A_WORD = re.compile(r"(?<=\w)['\u2019.](?=\w)")  # \u2019: the typographic apostrophe
# Any other run of punctuation, symbols and spaces separates words.
_SEPARATORS = re.compile(r"[\W_]+")


def search_key(text: str | None) -> str:
    """Casefolded, accent-free text of words separated by single spaces (at most the stored
    name's length)."""
    if not text:
        return ""
    if text.isascii():  # two names in three: nothing to fold but case (and it is 10x faster)
        plain = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", text.casefold())
        plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
        plain = plain.translate(_SPELLED_OUT)
    words = _SEPARATORS.sub(" ", _INSIDE_A_WORD.sub("", plain))
    return words.strip()[:MAX_NAME_CHARS]
