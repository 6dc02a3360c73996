import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskmodel.present.format import compact_unit, money, parse_money, percent


@pytest.mark.parametrize("amount, currency, lang, text", [
    (123_400_000_000, "KRW", "en", "₩123.4B"),
    (123_400_000_000, "KRW", "ko", "1,234억 원"),
    (4_000_000_000_000, "KRW", "ko", "4조 원"),
    (-3_000_000_000, "KRW", "ko", "-30억 원"),
    (950, "KRW", "ko", "950 원"),
    (1_200_000_000_000, "KRW", "ko", "1.2조 원"),
    (27_500_000_000, "KRW", "ko", "275억 원"),
    (1_234_567, "USD", "en", "$1.2M"),
    (193.19, "USD", "en", "$193"),
    (float("nan"), "USD", "en", "–"),
])
def test_money(amount, currency, lang, text):
    assert money(amount, currency, lang) == text


@pytest.mark.parametrize("amount, currency, lang, like, text", [
    (50_000_000, "KRW", "ko", 123_400_000_000, "0.50억 원"),  # two significant digits, not "0억"
        (14_900_000_000, "KRW", "ko", 19_610_000_000, "149억 원"),  # beside "196억 원": no decimals from 100 up
        (1_500_000_000, "KRW", "ko", 6_840_000_000, "15.0억 원"),  # beside "68.4억 원"
    (-5_000_000_000, "KRW", "en", 123_400_000_000, "-₩5B"),
    (300_000, "USD", "en", 2_000_000, "$0.3M"),
    (4_000_000_000_000, "KRW", "ko", 27_500_000_000, "40,000억 원"),
])
def test_money_in_the_unit_of_another_amount(amount, currency, lang, like, text):
    assert money(amount, currency, lang, like=like) == text


def test_percent():
    assert percent(0.8734) == "87.3%"
    assert percent(float("inf")) == "–"


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["KRW", "USD", "EUR", "JPY"]),
       st.sampled_from(["en", "ko"]), st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)))
def test_any_finite_amount_is_written_short(amount, currency, lang, like):
    """Every finite amount, 1e308 included, gives a short figure, never an exception."""
    text = money(amount, currency, lang, like=like)
    assert 0 < len(text) <= 24, text
    assert text.startswith("-") == (amount < 0 and any(c in "123456789" for c in text.split("E")[0])), text


@pytest.mark.parametrize("text, amount", [
    ("1,218억", 1.218e11), ("1조 2,000억 원", 1.2e12), ("₩121.9B", 1.219e11), ("$300M", 3e8), ("2.5K", 2500),
    ("3e9", 3e9), ("300000000", 3e8), ("1,000만 원", 1e7), ("-5억", -5e8), ("12 KRW", 12)])
def test_money_is_read_as_people_write_it(text, amount):
    assert parse_money(text) == pytest.approx(amount, rel=1e-12)


@pytest.mark.parametrize("text", ["", "abc", "1억억", "5 apples", "1..2M", "M5"])
def test_text_that_is_not_money_is_refused_with_the_rule(text):
    with pytest.raises(ValueError, match="is not an amount of money: write digits"):
        parse_money(text)


@given(amount=st.floats(1, 1e15), currency=st.sampled_from(["KRW", "USD"]), lang=st.sampled_from(["en", "ko"]))
def test_what_money_writes_reads_back_to_the_digits_it_shows(amount, currency, lang):
    """money() keeps one decimal of its unit (none from 100 units, or below 1,000 of the currency):
    reading it back is off by at most half of the last digit shown."""
    divisor, _ = compact_unit(amount, lang)
    shown = amount / divisor
    last_digit = divisor * (1.0 if divisor == 1 or shown >= 100 else 0.1)
    assert abs(parse_money(money(amount, currency, lang)) - amount) <= 0.5 * last_digit * (1 + 1e-9)


@given(st.floats(1e3, 1e15), st.floats(1e-3, 0.5))
def test_a_standard_error_reads_in_its_figures_unit_to_two_significant_digits(value, share):
    # "115억 원 ± 0.35억 원": the SE in the value's unit (its last word), within 5 % of itself once read back
    from riskmodel.present.format import money_se

    se = value * share
    for lang in ("en", "ko"):
        shown, figure = money_se(se, value, "KRW", lang), money(value, "KRW", lang)
        unit = re.sub(r"[-\d,.\s]", "", figure)
        assert re.sub(r"[-\d,.\s]", "", shown) == unit, (shown, figure)
        assert parse_money(shown) == pytest.approx(se, rel=0.05, abs=0.005 * value)
