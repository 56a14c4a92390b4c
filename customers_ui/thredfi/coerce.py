"""Lenient, bounded readers for upstream JSON values.

The published contract marks every field required, yet real answers carry nulls and the odd wrong
type. A support page that crashes on a stray ``"123"`` helps nobody, so each reader turns what it
can into the declared type and anything else into ``None``; only structural problems (not an
object, no usable id) are refused, by the callers.

Every reader is also bounded, because an answer can be hostile: numbers are checked for size
(digits, exponent) *before* any arithmetic (``int(Decimal("1e999999999"))`` builds a billion-digit
integer while holding the GIL), and strings are cut and stripped of control characters before they
can reach a page or a log line.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})

# No business holds 10^15 minor units (10 trillion pounds); nothing we count comes near it.
MAX_INT = 10**15
MAX_STRING_CHARS = 100_000
MAX_REQUEST_ID_CHARS = 128
_NUMBER = re.compile(r"[+-]?(\d{1,40})(?:\.(\d{1,40}))?(?:[eE]([+-]?\d{1,6}))?")
# C0/C1 controls (but tab and newline, which notes and addresses use), DEL, and the bidi
# overrides that make text read differently from what it is.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NOT_PRINTABLE_ASCII = re.compile("[^\x21-\x7e]")


def as_str(value: Any, *, limit: int = MAX_STRING_CHARS) -> str | None:
    """Strings (escaping is the template's job) without control characters and at most ``limit``
    characters; finite numbers as their text; else None."""
    if isinstance(value, str):
        text = value[:limit]
        return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and math.isfinite(value):
        return str(value)
    if isinstance(value, int) and -MAX_INT <= value <= MAX_INT:
        return str(value)
    return None


def clean_request_id(value: Any) -> str | None:
    """A request id fit for a log line and a page: printable ASCII, no spaces, bounded."""
    if not isinstance(value, str):
        return None
    text = _NOT_PRINTABLE_ASCII.sub("", value[: MAX_REQUEST_ID_CHARS * 4])[:MAX_REQUEST_ID_CHARS]
    return text or None


def as_int(value: Any, *, limit: int = MAX_INT) -> int | None:
    """Whole numbers within ``±limit``, including integral floats and numeric strings ("123",
    "123.0", "1.5e3"); anything larger, fractional or odd is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        # Compared, never converted: a 4,000-digit int costs nothing to compare.
        return value if -limit <= value <= limit else None
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) <= limit:
            return int(value)
        return None
    if isinstance(value, str):
        return _int_from_text(value.strip(), limit)
    return None


def _int_from_text(text: str, limit: int) -> int | None:
    match = _NUMBER.fullmatch(text)
    if match is None:
        return None
    whole, _fraction, exponent = match.groups()
    # Size first: the number has len(whole) + exponent digits before the point.
    if len(whole.lstrip("0")) + int(exponent or 0) > len(str(limit)):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None
    if number != number.to_integral_value():
        return None
    result = int(number)
    return result if -limit <= result <= limit else None


def as_bool(value: Any) -> bool | None:
    """Booleans, plus the usual textual and 0/1 spellings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def as_datetime(value: Any) -> datetime | None:
    """ISO 8601 (``Z`` included) as an aware datetime; naive values are taken to be UTC."""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        return None
    text = value.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def as_uuid(value: Any) -> uuid.UUID | None:
    """A UUID, or None: ids go into URLs and comparisons, so they must be real UUIDs."""
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        return None


def as_tuple(value: Any) -> tuple[Any, ...]:
    """Arrays as tuples (immutable records); null as empty; a lone scalar as a 1-tuple."""
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(value)
    return (value,)
