import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskmodel.present.format import money, percent


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
