import pytest

from riskmodel import appraise, load, simulate
from riskmodel.format import money
from riskmodel.narrative import sentences

from conftest import SCENARIOS


@pytest.fixture(scope="module")
def result():
    return appraise(simulate(load(SCENARIOS / "online-retailer-usd.yaml"), trials=1_000, seed=2))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_sentences_carry_the_appraisal_figures(result, lang):
    text = sentences(result, lang)
    assert 3 <= len(text) <= 5
    base = result.simulation.scenario.baseline.name
    ale = result.risk["ALE [USD/yr]"][base]
    assert money(ale, "USD", lang) in text[0]
    safest = result.risk["VaR 99% (1-in-100-year loss) [USD]"].drop(base).idxmin()
    assert safest in text[-1]
