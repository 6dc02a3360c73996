"""Money typed as people write it: an entry field shows an amount in the locale's units (``1,218억 원``,
``₩121.9B``) and reads back whatever a person types (``1,218억``, ``121.9M``, ``3e9``), never raw 11-digit won."""

from __future__ import annotations

from riskmodel.present.format import money, parse_money
from riskmodel.present.i18n import t


def shown_money(value: float, currency: str, lang: str) -> str:
    """The text a money field starts with: ``value`` [currency] in the reader's units, to two decimals of its unit.

    Examples
    --------
    >>> shown_money(121_855_512, "KRW", "ko"), shown_money(121_855_512, "KRW", "en")
    ('1.22억 원', '₩121.86M')
    """
    return money(value, currency, lang, digits=2)


def money_field(container, label: str, value: float, currency: str, lang: str, key: str) -> None:
    """A text field for an amount of money [currency] in ``container`` (a page, a column or a form)."""
    container.text_input(label, value=shown_money(value, currency, lang), key=key, help=t("money_entry_help", lang))


def entered_money(text: str, value: float, currency: str, lang: str, field: str) -> float:
    """What a money field holds [currency]: ``value`` itself while its text is still the one shown (so an
    untouched field keeps every digit), else the amount typed.

    Raises
    ------
    ValueError
        Naming ``field``, the text and the rule, when the text is not an amount of money.

    Examples
    --------
    >>> entered_money("1.22억 원", 121_855_512, "KRW", "ko", "x"), entered_money("1,218억", 0, "KRW", "ko", "x")
    (121855512, 121800000000.0)
    """
    if text.strip() == shown_money(value, currency, lang):
        return value
    try:
        return parse_money(text)
    except ValueError as exc:
        raise ValueError(f"{field}: {exc}") from None
