"""The one normalisation names and queries share: case, accents, spacing and punctuation do not
matter."""

from __future__ import annotations

import pytest

from customers_ui.directory.search_keys import search_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Zürich Uhren AG", "zurich uhren ag"),
        ("ZÜRICH", "zurich"),
        ("Łódź Logistics sp. z o.o.", "lodz logistics sp z oo"),
        ("Ørsted Bageri ApS", "orsted bageri aps"),
        ("Straße GmbH", "strasse gmbh"),
        ("Nguyễn Trading LLC", "nguyen trading llc"),
        ("São Paulo Têxtil Ltda", "sao paulo textil ltda"),
        ("Café  Lumière\tSARL ", "cafe lumiere sarl"),
        ("山田商事株式会社", "山田商事株式会社"),
        ("\uff26\uff55\uff4c\uff4c Ltd", "full ltd"),  # fullwidth letters
        ("", ""),
        (None, ""),
        # Punctuation is a space, except inside a word (O'Brien, J.P.), where it goes
        ("Harbour & Finch Ltd.", "harbour finch ltd"),
        ("Harbour&Finch", "harbour finch"),
        ("O'Brien & Sons", "obrien sons"),
        ("O\u2019Brien", "obrien"),  # a typographic apostrophe
        ("J.P. Nowak Co.,Ltd", "jp nowak co ltd"),
        ("Smith-Jones (UK) Limited", "smith jones uk limited"),
        ("Müller\u2013Holzbau GmbH & Co. KG", "muller holzbau gmbh co kg"),
        ("%", ""),
    ],
)
def test_search_key(name, key):
    assert search_key(name) == key


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Harbour & Finch Ltd.", "Harbour & Finch Ltd"),
        ("harbour&finch", "Harbour & Finch Ltd"),
        ("obrien", "O'Brien Joinery Ltd"),
        ("o'brien joinery", "O'Brien Joinery Ltd"),
        ("jp nowak", "J.P. Nowak Sp. z o.o."),
        ("sp. z o.o", "J.P. Nowak Sp. z o.o."),
    ],
)
def test_what_people_type_meets_the_stored_name(typed, name):
    assert search_key(typed) in search_key(name)


def test_keys_are_bounded():
    assert len(search_key("x" * 10_000)) == 300
