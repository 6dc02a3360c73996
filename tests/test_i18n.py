import pytest

from riskmodel.present.i18n import LANGUAGES, catalog, t


def test_values_are_filled_in_with_their_format():
    assert t("recommended", "ko", option="x") == "권고안: x"
    assert t("caption", "en", name="s", trials=20_000, years=5, currency="KRW") == \
        "s · 20,000 simulated futures × 5 years · money in KRW"


def test_a_text_without_values_is_returned_as_written():
    assert t("today_suffix", "en") == " (today)"  # leading space kept through the catalog


def test_every_language_has_a_catalog_of_the_same_keys():
    assert len({frozenset(catalog(lang)) for lang in LANGUAGES}) == 1


def test_an_unknown_key_fails_loudly():
    with pytest.raises(KeyError, match="no_such_key"):
        t("no_such_key", "en")
