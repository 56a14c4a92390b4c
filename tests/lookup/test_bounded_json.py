"""The metadata formatter: small values take a fast path, and it must cut exactly what the
budgeted writer cuts (depth, items per container, long numbers), never show more."""

from __future__ import annotations

import pytest

from customers_ui.lookup.bounded_json import Budget, _Out, _write, bounded_json


def written_by_the_budget(value: object) -> tuple[str, bool]:
    out = _Out(Budget())
    _write(value, 0, Budget(), out)
    return "".join(out.parts), out.cut


@pytest.mark.parametrize(
    "value",
    [
        {"plan": "gold", "seats": [1, 2, {"nested": None}], "ok": True, "ratio": 0.5},
        list(range(250)),  # more items than one container may show
        {"n": 10**50},  # more digits than a number may show
        {"deep": [[[[[[[[[[[[[["x"]]]]]]]]]]]]]]},  # deeper than the budget
        {"k": "v" * 50},
    ],
)
def test_the_fast_path_shows_what_the_budgeted_writer_shows(value) -> None:
    result = bounded_json(value)
    assert (result.text, result.cut) == written_by_the_budget(value)
