"""JSON for people to read, with a budget: cut by depth, width and size *before* formatting.

Upstream metadata is free JSON within a 5 MB answer. ``json.dumps(indent=2)`` of all of it and
then slicing costs seconds of CPU and hundreds of MB for a wide or deep object, and it runs while
the page waits. This writer stops as soon as its budget is spent, so its cost follows what is
shown, not what was sent, and it says when something was left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import islice
from typing import Any

__all__ = ["BoundedText", "Budget", "bounded_json"]

_CUT = "…"


@dataclass(frozen=True, slots=True)
class Budget:
    max_chars: int = 10_000
    max_depth: int = 12
    max_items: int = 200  # per object or array
    max_string: int = 2_000  # characters of one string value
    max_number_digits: int = 40


@dataclass(frozen=True, slots=True)
class BoundedText:
    text: str
    cut: bool  # something was left out (depth, width, a long string or the total size)


class _Out:
    __slots__ = ("budget", "cut", "parts", "size")

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.parts: list[str] = []
        self.size = 0
        self.cut = False

    @property
    def full(self) -> bool:
        return self.size >= self.budget.max_chars

    def write(self, text: str) -> None:
        room = self.budget.max_chars - self.size
        if len(text) > room:
            text = text[: max(room, 0)]
            self.cut = True
        self.parts.append(text)
        self.size += len(text)


def _scalar(value: Any, budget: Budget, out: _Out) -> str:
    if isinstance(value, str):
        if len(value) > budget.max_string:
            out.cut = True
            return json.dumps(value[: budget.max_string] + _CUT, ensure_ascii=False)
        return json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        # Sized before converting: turning a 4,000-digit int into text is quadratic work.
        if value.bit_length() > budget.max_number_digits * 3.33:
            out.cut = True
            return f'"{_CUT}very large number{_CUT}"'
        return str(value)
    if isinstance(value, float):
        return json.dumps(value)
    return json.dumps(str(value)[: budget.max_string], ensure_ascii=False)


def _write(value: Any, depth: int, budget: Budget, out: _Out) -> None:
    if out.full:
        out.cut = True
        return
    pad = "  " * depth
    if isinstance(value, dict):
        if not value:
            out.write("{}")
            return
        if depth >= budget.max_depth:
            out.cut = True
            out.write("{" + _CUT + "}")
            return
        items = list(islice(value.items(), budget.max_items + 1))
        if len(items) > budget.max_items:
            items = items[: budget.max_items]
            out.cut = True
        items.sort(key=lambda item: str(item[0]))
        out.write("{")
        for index, (key, item) in enumerate(items):
            if out.full:
                out.cut = True
                return
            out.write(("," if index else "") + "\n" + pad + "  ")
            out.write(_scalar(str(key), budget, out) + ": ")
            _write(item, depth + 1, budget, out)
        if len(value) > len(items):
            out.write(",\n" + pad + "  " + _CUT)
        out.write("\n" + pad + "}")
        return
    if isinstance(value, list | tuple):
        if not value:
            out.write("[]")
            return
        if depth >= budget.max_depth:
            out.cut = True
            out.write("[" + _CUT + "]")
            return
        shown = list(islice(value, budget.max_items))
        out.write("[")
        for index, item in enumerate(shown):
            if out.full:
                out.cut = True
                return
            out.write(("," if index else "") + "\n" + pad + "  ")
            _write(item, depth + 1, budget, out)
        if len(value) > len(shown):
            out.cut = True
            out.write(",\n" + pad + "  " + _CUT)
        out.write("\n" + pad + "]")
        return
    out.write(_scalar(value, budget, out))


# Below this many characters of compact JSON, the standard library formats the whole value: its
# indented output is a few times the compact size, well inside any budget, and it is several
# times faster than walking the value here. Compact JSON comes from the C encoder, so finding out
# costs little even for a large answer, and nothing is formatted for people before we know.
_SMALL_COMPACT_CHARS = 4_000


def bounded_json(value: Any, budget: Budget | None = None) -> BoundedText:
    """Indented, key-sorted JSON of at most ``budget.max_chars`` characters."""
    budget = budget or Budget()
    small = _small_enough(value, budget)
    if small is not None:
        return BoundedText(small, False)
    out = _Out(budget)
    _write(value, 0, budget, out)
    return BoundedText("".join(out.parts), out.cut)


def _small_enough(value: Any, budget: Budget) -> str | None:
    """The whole value formatted, when it is small and plain enough to need no cutting."""
    try:
        compact = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError, RecursionError):
        return None
    limit = min(_SMALL_COMPACT_CHARS, budget.max_chars // 4, budget.max_string)
    if len(compact) > limit:
        return None
    if _needs_cutting(value, budget):
        return None
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= budget.max_chars else None


def _needs_cutting(value: Any, budget: Budget) -> bool:
    """Whether the budgeted writer would leave anything out of this (small) value: too deep, too
    many items in one container, or an integer too long to show. Strings need no check: the
    caller's compact-size limit is below ``max_string``."""
    number_bits = budget.max_number_digits * 3.33
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list | tuple) and item:
            if depth >= budget.max_depth or len(item) > budget.max_items:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, int) and item.bit_length() > number_bits:  # bool: 1 bit at most
            return True
    return False
