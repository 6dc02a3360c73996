"""Numbers for people: money and percentages by locale, through Babel (DESIGN §11).

Korean readers count money in 만/억/조 and English readers in K/M/B; Babel's compact
formats know both, so no unit table is kept here.
"""

from __future__ import annotations

import math

from babel import Locale
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent

LOCALES = {"en": "en_US", "ko": "ko_KR"}


def money(amount: float, currency: str, lang: str = "en", digits: int = 1) -> str:
    """A compact money figure: ``₩123.4B`` in English, ``1234억 원`` in Korean for KRW.

    Parameters
    ----------
    amount : float
        Amount [currency].
    currency : str
        ISO 4217 code.
    lang : {"en", "ko"}
        Language of the reader.
    digits : int
        Fraction digits kept in the compact form.

    Examples
    --------
    >>> money(123_400_000_000, "KRW")
    '₩123.4B'
    >>> money(123_400_000_000, "KRW", "ko")
    '1,234억 원'
    """
    if amount is None or not math.isfinite(amount):
        return "–"
    locale = LOCALES[lang]
    small = abs(amount) < 1000  # compact forms only start at thousands
    if lang == "ko" and currency == "KRW":
        divisor, unit = korean_unit(amount)
        number = format_decimal(round(amount / divisor, digits if divisor > 1 else 0), locale=locale)
        return f"{number}{unit} 원"
    if small:
        return format_currency(round(amount), currency, locale=locale, format="¤#,##0", currency_digits=False)
    return format_compact_currency(amount, currency, locale=locale, fraction_digits=digits)


def korean_unit(amount: float) -> tuple[float, str]:
    """The 만/억/조 unit Korean readers would count ``amount`` in, from Babel's locale data.

    Returns the divisor and the unit: (1e8, "억") for 123,400,000,000 (read "1,234억").
    Below 10,000 the amount is counted in plain units: (1.0, "").
    """
    patterns = Locale.parse(LOCALES["ko"]).compact_decimal_formats["short"]["other"]
    magnitude = abs(amount)
    best = (1.0, "")
    for key in sorted(patterns, key=int):
        pattern = str(getattr(patterns[key], "pattern", patterns[key]))
        unit = pattern.strip("0")
        if int(key) <= magnitude and unit in ("만", "억", "조"):
            best = (int(key) / 10 ** (pattern.count("0") - 1), unit)
    return best


def percent(share: float, lang: str = "en", digits: int = 1) -> str:
    """A share [0–1] as a percentage, e.g. ``87.5%``."""
    if share is None or not math.isfinite(share):
        return "–"
    return format_percent(share, locale=LOCALES[lang],
                          format=f"#,##0.{'0' * digits}%" if digits else "#,##0%")
