"""Numbers for people: money and percentages by locale, through Babel (DESIGN §11).

Korean readers count money in 만/억/조 and English readers in K/M/B; Babel's compact
formats know both, so no unit table is kept here.
"""

from __future__ import annotations

import math
import re

from babel import Locale
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
    format_scientific,
    get_currency_symbol,
)

from riskmodel.present.i18n import N_, t

LOCALES = {"en": "en_US", "ko": "ko_KR"}
#: From this amount on [currency], money is written with an exponent (a million 조 or T).
HUGE = 1e18
# Korean money is counted in 만, 억 and 조 (never 천), see ../shared/GLOSSARY.md.
UNITS = {"en": ("K", "M", "B", "T"), "ko": ("만", "억", "조")}


def money(amount: float, currency: str, lang: str = "en", digits: int = 1, like: float | None = None) -> str:
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
    like : float, optional
        Write ``amount`` in the unit this amount would take [currency], so that a
        table column or a chart axis keeps one unit ("0.5억 원" beside "1,234억 원").

    Examples
    --------
    >>> money(123_400_000_000, "KRW")
    '₩123.4B'
    >>> money(123_400_000_000, "KRW", "ko")
    '1,234억 원'
    >>> money(50_000_000, "KRW", "ko", like=123_400_000_000)
    '0.50억 원'
    >>> money(2.5e20, "USD")
    '$2.5E20'
    """
    if amount is None or not math.isfinite(amount):
        return "–"
    locale = LOCALES[lang]
    small = abs(amount) < 1000  # compact forms only start at thousands
    won = lang == "ko" and currency == "KRW"
    if abs(amount) >= HUGE:
        # Past a million of the largest unit (조, T) words run out: the exponent reads
        # better than twenty digits, and Babel's compact forms fail near 1e100.
        sign, number = "-" if amount < 0 else "", format_scientific(abs(amount), format="0.0E0", locale=locale)
        return f"{sign}{number} 원" if won else f"{sign}{get_currency_symbol(currency, locale)}{number}"
    if won or like is not None:
        ref = amount if like is None or not math.isfinite(like) else like
        divisor, unit = compact_unit(ref, lang)
        if abs(amount) / divisor >= 1e7:  # far larger than its column: its own unit, not eight digits more
            ref = amount
            divisor, unit = compact_unit(ref, lang)
        scaled = abs(amount) / divisor
        # No decimals where the figure (or its column's largest) has three digits already; in
        # a column (``like``) fixed decimals so figures line up; a small figure among large
        # ones keeps two significant digits.
        places = 0 if divisor == 1 or abs(ref) / divisor >= 100 else digits
        if scaled > 0 and round(scaled, places) == 0:
            # Two significant digits, but no more than six decimals of the unit: below that it is 0.
            places = min(1 - math.floor(math.log10(scaled)), 6)
            if round(scaled, places) == 0:
                places = digits
        pattern = "#,##0" + ("." + "0" * places if places and like is not None else "." + "#" * places)
        number = format_decimal(round(scaled, places), format=pattern, locale=locale)
        sign = "-" if amount < 0 and number.strip("0.,") else ""
        if won:
            return f"{sign}{number}{unit} 원"
        return f"{sign}{get_currency_symbol(currency, locale)}{number}{unit}"
    if small:
        return format_currency(round(amount), currency, locale=locale, format="¤#,##0", currency_digits=False)
    return format_compact_currency(amount, currency, locale=locale, fraction_digits=digits)


def money_se(se: float, value: float, currency: str, lang: str) -> str:
    """A standard error [currency] in the unit of the figure it belongs to, to two significant digits:
    ``115억 원 ± 0.35억 원`` rather than ``± 3,495만 원``, so the pair reads as one number.

    Examples
    --------
    >>> money_se(34_950_000, 11_500_000_000, "KRW", "ko"), money_se(130_700_000, 691_100_000, "KRW", "en")
    ('0.35억 원', '₩131M')
    """
    if se is None or not math.isfinite(se) or se <= 0 or not math.isfinite(value):
        return money(se, currency, lang)
    divisor, _ = compact_unit(value, lang)
    digits = min(max(1 - math.floor(math.log10(se / divisor)), 0), 3)
    # ``like`` in the value's unit but under a hundred of it, so money() keeps ``digits`` decimals.
    return money(se, currency, lang, digits=digits, like=min(abs(value), 99 * divisor) or divisor)


def compact_unit(amount: float, lang: str) -> tuple[float, str]:
    """The unit a reader of ``lang`` would count ``amount`` in, from Babel's locale data.

    Returns the divisor and the unit: (1e8, "억") for 123,400,000,000 in Korean (read
    "1,234억"), (1e9, "B") in English. Below the first unit, plain units: (1.0, "").
    """
    patterns = Locale.parse(LOCALES[lang]).compact_decimal_formats["short"]["other"]
    magnitude = abs(amount)
    best = (1.0, "")
    for key in sorted(patterns, key=int):
        pattern = str(getattr(patterns[key], "pattern", patterns[key]))
        unit = pattern.strip("0")
        if int(key) <= magnitude and unit in UNITS[lang]:
            best = (int(key) / 10 ** (pattern.count("0") - 1), unit)
    return best


#: What each unit a person writes money in multiplies by, in either language.
_MONEY_UNITS = {"만": 1e4, "억": 1e8, "조": 1e12, "k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
_MONEY_PART = r"(\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+)(만|억|조|[kKmMbBtT])?"
# Currency signs and words a pasted figure may carry: removed before reading it.
_MONEY_NOISE = re.compile(r"[A-Z]{0,3}[₩$€£¥]|원|\b[A-Z]{3}\b|\s+")


def parse_money(text: str) -> float:
    """An amount of money as a person writes it, in either language: ``1,218억``, ``1조 2,000억 원``,
    ``₩121.9B``, ``$300M``, ``3e9``, ``300000000`` [currency].

    The inverse of :func:`money`: ``parse_money(money(x, c, lang))`` is ``x`` to the digits shown.

    Raises
    ------
    ValueError
        Naming the text and the rule, when it is not an amount.

    Examples
    --------
    >>> parse_money("1,218억"), parse_money("1조 2,000억 원"), parse_money("$121.9M")
    (121800000000.0, 1200000000000.0, 121900000.0)
    """
    cleaned = text.strip()
    negative = cleaned[:1] in "-−"
    body = _MONEY_NOISE.sub("", cleaned[1:] if negative else cleaned)
    if not re.fullmatch(f"(?:{_MONEY_PART})+", body):
        raise ValueError(f"{text!r} is not an amount of money: write digits with an optional unit, e.g. "
                         "1,218억, 1조 2,000억, 121.9M or 3e9")
    total = 0.0
    for m in re.finditer(_MONEY_PART, body):
        number = float(m.group(1).replace(",", ""))
        unit = m.group(2)
        total += number * (_MONEY_UNITS[unit.lower()] if unit else 1.0)
    if not math.isfinite(total):
        raise ValueError(f"{text!r} is not a finite amount")
    return -total if negative else total


def percent(share: float, lang: str = "en", digits: int = 1) -> str:
    """A share [0–1] as a percentage, e.g. ``87.5%``."""
    if share is None or not math.isfinite(share):
        return "–"
    return format_percent(share, locale=LOCALES[lang],
                          format=f"#,##0.{'0' * digits}%" if digits else "#,##0%")


DURATION_UNITS = {  # catalog key of the unit's suffix (" d", "일"): hours in the unit, largest first
    N_("duration_day"): 24.0, N_("duration_hour"): 1.0, N_("duration_minute"): 1 / 60,
    N_("duration_second"): 1 / 3600,
}


def duration(hours: float, lang: str = "en") -> str:
    """A time span in the unit a person would say it in: ``11 s``, ``3.2 min``, ``13 h``, ``2.6 d``.

    Parameters
    ----------
    hours : float
        Duration [h].
    lang : {"en", "ko"}

    Examples
    --------
    >>> duration(0.003), duration(61.5), duration(0.0542, "ko")
    ('11 s', '2.6 d', '3.3분')
    """
    if hours is None or not math.isfinite(hours):
        return "–"
    unit = next((key for key, size in DURATION_UNITS.items() if abs(hours) >= size), "duration_second")
    value = hours / DURATION_UNITS[unit]
    number = format_decimal(round(value, 0 if abs(value) >= 10 else 1), format="#,##0.#", locale=LOCALES[lang])
    return f"{number}{t(unit, lang)}"
