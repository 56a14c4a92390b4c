"""Lenient readers for upstream JSON values.

The published contract marks every field required, yet real answers carry nulls and the odd wrong
type. A support page that crashes on a stray ``"123"`` helps nobody, so each reader turns what it
can into the declared type and anything else into ``None``; only structural problems (not an
object, no usable id) are refused, by the callers.
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})


def as_str(value: Any) -> str | None:
    """Strings verbatim (escaping is the template's job); numbers as their text; else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return str(value)
    return None


def as_int(value: Any) -> int | None:
    """Whole numbers, including integral floats and numeric strings ("123", "123.0")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 40:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        if number.is_finite() and number == number.to_integral_value():
            return int(number)
    return None


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
