"""riskmodel.analysis.breakeven: the break-even conditions equal their closed forms on a one-threat scenario."""

from __future__ import annotations

import pytest

from riskmodel import Scenario, appraise, simulate
from riskmodel.analysis import breakeven

R, D, RTO, O = 1_000.0, 100.0, 1.0, 5_000.0  # revenue [USD/h], outage [h], failover RTO [h], DR opex [USD/yr]
F_LOW, F_HIGH = 0.6, 1.0  # failover success, uniform
RATE = (0.01, 1.0)  # site-event rate ci90 [events/site-yr]


def one_threat() -> Scenario:
    return Scenario.from_dict({
        "name": "one threat", "currency": "USD", "finance": {"discount_rate": 0.05, "horizon_years": 5},
        "sites": [{"name": "a"}], "services": [{"name": "s", "site": "a", "impact": {"revenue_per_hour": R}}],
        "threats": [{"name": "fire", "scope": "site", "category": "facility", "rate": {"ci90": list(RATE)},
                     "duration_hours": D}],
        "architectures": [{"name": "dr", "preset": "warm_standby", "rto_hours": RTO, "rpo_hours": 0,
                           "failover_success": {"uniform": [F_LOW, F_HIGH]}, "manual_failover_success": 0,
                           "restore_success": 0, "opex_per_year": O, "capex": 0, "added_incident_rate": 0}],
        "options": [{"name": "today", "baseline": True}, {"name": "dr", "architecture": "dr"}]})


@pytest.fixture(scope="module")
def result():
    return appraise(simulate(one_threat(), trials=20_000, seed=7), "cash")


@pytest.fixture(scope="module")
def found(result):
    return {b.kind: b for b in breakeven.card(result, "dr")}


def test_the_site_rate_at_which_dr_pays_is_opex_over_the_loss_it_avoids_per_event(found):
    """Cash NPV = annuity × (λ R F̄ (D − RTO) − O): zero at λ* = O / (R F̄ (D − RTO))."""
    b = found["site_rate"]
    expected = O / (R * (F_LOW + F_HIGH) / 2 * (D - RTO))
    assert b.crosses and b.pays_above is True and b.se > 0
    assert abs(b.value - expected) < 4 * b.se, (b.value, expected, b.se)


def test_the_failover_success_at_which_dr_pays(found, result):
    """At the scenario's mean rate λ̄: zero at F* = O / (λ̄ R (D − RTO)), if that is within the range."""
    b = found["failover"]
    rate = result.simulation.scenario.threats[0].rate.mean()
    expected = O / (rate * R * (D - RTO))
    assert (b.low, b.high) == pytest.approx((F_LOW + 0.05 * (F_HIGH - F_LOW), F_HIGH - 0.05 * (F_HIGH - F_LOW)))
    if b.crosses:
        assert abs(b.value - expected) < 4 * b.se, (b.value, expected, b.se)
    else:
        assert not (F_LOW < expected < F_HIGH)


def test_the_cost_of_one_event_at_which_dr_pays(found, result):
    """NPV is linear in a factor m on the event's loss: zero at m* = O / (λ̄ R F̄ (D − RTO)); one event costs R D now."""
    b = found["site_cost"]
    rate = result.simulation.scenario.threats[0].rate.mean()
    m = O / (rate * R * (F_LOW + F_HIGH) / 2 * (D - RTO))
    ale_se = result.risk["ale_se"]["today"] / result.risk["ale"]["today"]  # relative noise of the event cost now
    assert b.now == pytest.approx(R * D, rel=4 * ale_se)
    assert abs(b.value - m * R * D) < 4 * b.se + 4 * ale_se * m * R * D, (b.value, m * R * D, b.se)


def test_an_option_without_failover_or_without_a_site_threat_says_so():
    scenario = one_threat()
    data = scenario.to_dict()
    data["options"].append({"name": "skills_only", "architecture": "single_site"})
    result = appraise(simulate(Scenario.from_dict(data), trials=2_000, seed=1), "cash")
    card = {b.kind: b for b in breakeven.card(result, "skills_only")}
    assert card["failover"].input is None and not card["failover"].crosses
    # It avoids no site loss and costs nothing: no cost of an event moves it, and it never pays.
    assert not card["site_cost"].crosses and card["site_cost"].everywhere is False
    assert not card["site_rate"].crosses and card["site_rate"].everywhere is False


def test_the_cost_factor_and_the_rate_root_say_the_same(found, result):
    """m* × λ̄ is where the NPV line through the rate's end runs crosses zero: Brent's root on the
    same runs lies there too, within their standard errors."""
    rate, cost = found["site_rate"], found["site_cost"]
    mean_rate = result.simulation.scenario.threats[0].rate.mean()
    crossing = cost.value / cost.now * mean_rate
    assert abs(crossing - rate.value) < 4 * max(rate.se, cost.se / cost.now * mean_rate)
