"""riskmodel.analysis.charging: with ``beyond_pnl: include: true`` the NPVs and the decision count the charges."""

from __future__ import annotations

import pytest
from test_breakeven import one_threat

from riskmodel import Scenario, appraise, simulate
from riskmodel.analysis import breakeven, charging
from riskmodel.analysis.beyond_pnl import charges
from riskmodel.present import conditions
from riskmodel.present import decision as decision_text
from riskmodel.present.i18n import t

SHARE, FINE = 0.05, 2e5  # share of market value lost per site loss, regulatory cost [USD/loss]
TRIALS, SEED = 20_000, 3


def _with(market_value: float, include: bool) -> Scenario:
    data = one_threat().to_dict()
    data["architectures"][0]["opex_per_year"] = 50_000.0  # ten times the DR of test_breakeven: no pay on cash
    data["beyond_pnl"] = {"market_value": market_value, "market_reaction": SHARE, "regulatory_cost": FINE,
                          "include": include}
    return Scenario.from_dict(data)


@pytest.fixture(scope="module")
def apart():
    """DR does not pay on cash alone here; market value set so that, with the charges, it pays twice over."""
    first = appraise(simulate(_with(1e6, False), TRIALS, seed=SEED), "cash")
    table = charges(first)
    npv = table.loc["dr", "npv"]
    assert npv < 0
    # What it avoids is (events it saves) × (market value × share + fine) × the annuity: solve for the value.
    per_charge = table.loc["dr", "avoided_pv"] / (1e6 * SHARE + FINE)
    value = (-2 * npv / per_charge - FINE) / SHARE
    return appraise(simulate(_with(value, False), TRIALS, seed=SEED), "cash"), value


@pytest.fixture(scope="module")
def counted(apart):
    return appraise(simulate(_with(apart[1], True), TRIALS, seed=SEED), "cash")


def test_shown_apart_the_decision_ranks_on_cash_alone(apart):
    result, _ = apart
    assert not result.charges_counted and result.decision.status == "keep"
    assert charges(result).loc["dr", "npv_with"] > 0  # yet it would pay with them


def test_counted_every_trials_npv_holds_its_charges(apart, counted):
    """The second run scales the site loss's cost by 1 + k on the same futures: NPV + what it avoids.

    The table's "what it avoids" discounts the mean annual loss over the horizon, the run
    each year's own: they differ by how the run's events fall across its years, well within
    the NPV's own standard error.
    """
    result, _ = apart
    expected = charges(result).loc["dr", "npv_with"]
    se = counted.investment.loc["dr", "npv_se"]
    assert counted.charges_counted and se > 0
    assert abs(counted.investment.loc["dr", "npv_mean"] - expected) <= 2 * se
    table = charges(counted)
    assert table.loc["dr", "npv_with"] == counted.investment.loc["dr", "npv_mean"]
    assert abs(table.loc["dr", "npv"] - result.investment.loc["dr", "npv_mean"]) <= 2 * se


def test_counted_the_recommendation_changes_and_says_so(counted):
    assert counted.decision.status == "invest" and counted.decision.option == "dr"
    assert counted.decision.npv_se > 0
    assert t("decision_charges", "en") in decision_text.reasons(counted, "en")
    assert t("be_charges", "ko") in conditions.caption(counted, 5_000, "ko")


def test_the_risk_tables_and_the_tolerance_stay_operating_losses(apart, counted):
    result, _ = apart
    assert counted.risk.equals(result.risk) and counted.threats.equals(result.threats)
    assert counted.decision.tolerance == result.decision.tolerance


def test_the_card_counts_them_too(apart, counted):
    """With the charges, DR pays at a lower rate of site losses than on cash alone."""
    cash = {b.kind: b for b in breakeven.card(apart[0], "dr", 5_000)}["site_rate"]
    with_them = {b.kind: b for b in breakeven.card(counted, "dr", 5_000)}["site_rate"]
    assert with_them.crosses and cash.crosses and with_them.value < cash.value - 2 * (cash.se + with_them.se)
    scale = breakeven.counted_scale(counted)
    found = charging.charge(counted.simulation)
    assert scale == {"fire": found.factor} and found.factor > 1
    assert breakeven.counted_scale(apart[0]) is None
