"""The one normalisation names and queries share: case, accents and spacing do not matter."""

from __future__ import annotations

import pytest

from customers_ui.directory.search_keys import search_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Zürich Uhren AG", "zurich uhren ag"),
        ("ZÜRICH", "zurich"),
        ("Łódź Logistics sp. z o.o.", "lodz logistics sp. z o.o."),
        ("Ørsted Bageri ApS", "orsted bageri aps"),
        ("Straße GmbH", "strasse gmbh"),
        ("Nguyễn Trading LLC", "nguyen trading llc"),
        ("São Paulo Têxtil Ltda", "sao paulo textil ltda"),
        ("Café  Lumière\tSARL ", "cafe lumiere sarl"),
        ("山田商事株式会社", "山田商事株式会社"),
        ("\uff26\uff55\uff4c\uff4c Ltd", "full ltd"),  # fullwidth letters
        ("", ""),
        (None, ""),
    ],
)
def test_search_key(name, key):
    assert search_key(name) == key


def test_keys_are_bounded():
    assert len(search_key("x" * 10_000)) == 300
