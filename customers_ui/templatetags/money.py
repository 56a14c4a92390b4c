"""Money and size filters: integer minor units in, locale-correct text out (Babel, CLDR data)."""

from __future__ import annotations

import math
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, UnknownCurrencyError, get_currency_precision
from django import template
from django.conf import settings

register = template.Library()


def money_locale() -> str:
    return settings.MONEY_LOCALE


def minor_units_to_amount(cents: int, currency: str) -> Decimal:
    """Thredfi sends 'cents': the currency's minor unit (2 decimals for GBP, 0 for JPY)."""
    return Decimal(int(cents)).scaleb(-get_currency_precision(currency))


@cache
def _currency_format(locale_name: str) -> tuple[Locale, NumberPattern]:
    """The locale and its standard currency pattern, as Babel's format_currency finds them on
    every call (half of its ~65 µs; a customer list formats a balance per row)."""
    locale = Locale.parse(locale_name)
    return locale, locale.currency_formats["standard"]


@register.filter
def money(cents: object, currency: object) -> str:
    """`{{ customer.outstanding_balance|money:business.currency }}` → "£1,234.56"."""
    if cents is None or isinstance(cents, bool):
        return "—"
    try:
        cents = int(cents)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "—"
    code = str(currency or "").strip().upper()
    if not code:
        return f"{Decimal(cents).scaleb(-2):,.2f} (no currency)"
    try:
        locale, pattern = _currency_format(money_locale())
        return pattern.apply(minor_units_to_amount(cents, code), locale, currency=code)
    except (UnknownCurrencyError, ValueError):
        # An unknown or missing currency still shows the number, clearly unlabelled.
        return f"{Decimal(cents).scaleb(-2):,.2f} {code}"


@register.filter
def filesize(num_bytes: object) -> str:
    """Human-readable size: 1536 → "1.5 KB"."""
    try:
        size = float(num_bytes)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return "size unknown"
    if not math.isfinite(size) or size < 0:
        return "size unknown"
    for unit in ("bytes", "KB", "MB"):
        if size < 1024:
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
