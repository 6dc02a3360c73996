"""riskmodel.analysis.beyond_pnl: the market's and the regulator's charge per option, against closed forms."""

from __future__ import annotations

import pytest
from test_breakeven import F_HIGH, F_LOW, RTO, D, one_threat

from riskmodel import Scenario, appraise, load, simulate
from riskmodel.analysis.beyond_pnl import best_with, charges
from riskmodel.models.finance import discount_factors

MV, SHARE, FINE = 1e9, 0.05, 2e5  # market value [USD], its share lost per site loss, regulatory cost [USD/loss]


@pytest.fixture(scope="module")
def result():
    data = one_threat().to_dict()
    data["beyond_pnl"] = {"market_value": MV, "market_reaction": SHARE, "regulatory_cost": FINE}
    return appraise(simulate(Scenario.from_dict(data), trials=20_000, seed=3), "cash")


def test_the_baseline_is_charged_once_per_site_loss_it_suffers(result):
    """Baseline-equivalent events are its ALE over the cost of one event now: the rate's mean exactly."""
    rate = result.simulation.scenario.threats[0].rate.mean()
    found = charges(result)
    assert found.loc["today", "market"] == pytest.approx(rate * MV * SHARE, rel=1e-9)
    assert found.loc["today", "regulatory"] == pytest.approx(rate * FINE, rel=1e-9)


def test_an_option_is_charged_for_the_part_of_a_site_loss_it_does_not_ride_out(result):
    """With failover F (mean F̄) to RTO, else the whole outage D: its loss per event is (F̄ RTO + (1 − F̄) D) / D of today's."""
    rate = result.simulation.scenario.threats[0].rate.mean()
    f = (F_LOW + F_HIGH) / 2
    expected = rate * MV * SHARE * (f * RTO + (1 - f) * D) / D
    # The ratio of two ALE estimates: its noise is the options' ALE noise, relative.
    noise = result.risk["ale_se"]["dr"] / result.risk["ale"]["dr"] + result.risk["ale_se"]["today"] / result.risk["ale"]["today"]
    found = charges(result)
    assert found.loc["dr", "market"] == pytest.approx(expected, rel=4 * noise)
    pv = float(discount_factors(0.05, 5).sum())
    saved = (found.loc["today", ["market", "regulatory"]].sum() - found.loc["dr", ["market", "regulatory"]].sum()) * pv
    assert found.loc["dr", "avoided_pv"] == pytest.approx(saved, rel=1e-12)
    assert found.loc["dr", "npv_with"] == pytest.approx(found.loc["dr", "npv"] + saved, rel=1e-12)
    assert best_with(result, found) == ("dr", pytest.approx(found.loc["dr", "npv_with"]))


def test_a_scenario_without_them_has_no_such_table():
    assert charges(appraise(simulate(one_threat(), trials=500, seed=1))) is None


def test_kakao_counts_them_apart_from_cash():
    result = appraise(simulate(load("kakao-2022"), trials=2_000, seed=1))
    found = charges(result)
    assert found.attrs["threat"] == "pangyo_site_loss" and found.attrs["included"] is False
    assert (found["npv"] == result.investment["npv_mean"]).all()  # the NPVs shown are the cash ones, untouched
