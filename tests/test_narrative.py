import pytest
from conftest import SCENARIOS

from riskmodel import appraise, load, simulate
from riskmodel.present.format import money
from riskmodel.present.names import Names
from riskmodel.present.narrative import sentences


@pytest.fixture(scope="module")
def result():
    return appraise(simulate(load(SCENARIOS / "online-retailer-usd.yaml"), trials=1_000, seed=2))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_sentences_carry_the_appraisal_figures(result, lang):
    text = sentences(result, lang)
    names = Names(result.simulation.scenario, lang)
    assert 3 <= len(text) <= 5
    # no option is within this tolerance at 1,000 trials: that comes first, naming the closest
    assert result.decision.status == "none_within" and names.option(result.decision.option) in text[0]
    base = result.simulation.scenario.baseline.name
    ale = result.risk["ale"][base]
    assert money(ale, "USD", lang) in text[1]
    safest = result.risk["var_99"].drop(base).idxmin()
    assert names.option(safest) in text[-1]


@pytest.fixture(scope="module")
def kakao():
    return appraise(simulate(load(SCENARIOS / "kakao-2022.yaml"), trials=1_000, seed=2))


def test_the_recommendation_stays_within_the_risk_tolerance(kakao):
    """kakao-2022's illustrative board appetite rules out the cheapest options, so the recommendation
    is the best NPV among those within it, even a negative one, and the text says why."""
    within = kakao.within_tolerance
    npv = kakao.investment["npv_mean"]
    assert within[kakao.recommended]
    assert npv[kakao.recommended] == npv[within].max()
    tol = kakao.tolerance
    for option, ok in within.items():
        rows = tol.loc[[option]]
        assert ok == bool((rows["simulated_p"] <= rows["acceptable_p"]).all())


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_text_names_the_rival_that_breaches(kakao, lang):
    text = " ".join(sentences(kakao, lang))
    names = Names(kakao.simulation.scenario, lang)
    assert names.option(kakao.recommended) in text and kakao.recommended not in text  # by its label
    rival = kakao.best_npv
    if rival != kakao.recommended and not kakao.within_tolerance[rival]:
        assert names.option(rival) in text and money(kakao.investment["npv_mean"][rival], "KRW", lang) in text
    assert "(를)" not in text and "(으)" not in text and "(는)" not in text
