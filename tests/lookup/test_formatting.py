"""Money in minor units → locale-correct text; pasted references → IDs."""

from __future__ import annotations

import uuid

import pytest

from customers_ui.lookup.references import parse_customer_reference
from customers_ui.templatetags.money import filesize, money

B = "3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a01"
C = "5b9e2d4c-8a1f-4e3b-9c7d-6f0a2b4c8e11"


@pytest.mark.parametrize(
    ("cents", "currency", "expected"),
    [
        (123456, "GBP", "£1,234.56"),
        (987654, "EUR", "€9,876.54"),
        (100000, "USD", "US$1,000.00"),
        (0, "GBP", "£0.00"),
        (-2550, "GBP", "-£25.50"),
        (1234, "JPY", "JP¥1,234"),  # zero-decimal currency: minor unit is the yen
        (None, "GBP", "—"),
        ("oops", "GBP", "—"),
        (True, "GBP", "—"),
        (5000, None, "50.00 (no currency)"),
        (5000, "XXZ", "XXZ50.00"),  # unknown to CLDR: the code stands in for a symbol
    ],
)
def test_money(cents, currency, expected: str, settings) -> None:
    settings.MONEY_LOCALE = "en_GB"
    assert money(cents, currency) == expected


def test_money_follows_the_configured_locale(settings) -> None:
    settings.MONEY_LOCALE = "de_DE"
    assert money(987654, "EUR") == "9.876,54\xa0€"


@pytest.mark.parametrize("locale", ["en_GB", "de_DE", "fr_CH", "ja_JP", "ar_EG"])
def test_money_says_what_babels_format_currency_says(settings, locale: str) -> None:
    """money() keeps Babel's pattern per locale instead of looking it up on every call; the
    text must stay exactly format_currency's."""
    from babel.numbers import format_currency

    from customers_ui.templatetags.money import minor_units_to_amount

    settings.MONEY_LOCALE = locale
    for code in ("GBP", "EUR", "JPY", "BHD", "CHF", "XXZ"):
        for cents in (0, 1, -1, 99, 123456, -250000, 10**15):
            amount = minor_units_to_amount(cents, code)
            assert money(cents, code) == format_currency(amount, code, locale=locale), (code, cents)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "0 bytes"),
        (999, "999 bytes"),
        (1536, "1.5 KB"),
        (5 * 1024 * 1024, "5.0 MB"),
        (None, "size unknown"),
        (-1, "size unknown"),
    ],
)
def test_filesize(size, expected: str) -> None:
    assert filesize(size) == expected


@pytest.mark.parametrize(
    ("text", "business", "customer"),
    [
        (C, None, C),
        (f"  {C.upper()} ", None, C),
        (f"{B}/{C}", B, C),
        (f"https://lookup.example.com/customers/{B}/{C}/", B, C),
        (f"https://lookup.example.com/customers/{B}/{C}/documents/{uuid.uuid4()}/", B, C),
        (f"GET /v1/platform/businesses/{B}/customers/{C}/", B, C),
    ],
)
def test_references(text: str, business: str | None, customer: str) -> None:
    reference = parse_customer_reference(text)
    assert reference is not None
    assert str(reference.customer_id) == customer
    assert (str(reference.business_id) if reference.business_id else None) == business


@pytest.mark.parametrize("text", ["", "Cobalt", "5b9e2d4c-8a1f-4e3b-9c7d", "x" * 5000])
def test_references_without_an_id(text: str) -> None:
    assert parse_customer_reference(text) is None
