"""Sensitivity and decision analysis against closed forms (DESIGN §10)."""

import math

import numpy as np
import pytest
from conftest import make

from riskmodel import simulate
from riskmodel.analysis.sensitivity import break_even, evpi, partial_evpi

RATE = (0.5, 2.5)  # uniform [events/yr]
REVENUE = (100.0, 300.0)  # uniform [USD/h]
DURATION = 10.0  # h, fixed


def linear_scenario():
    """ALE = λ · d · r with λ and r independent: at a fixed r it is linear in r, at a fixed λ in λ."""
    return make(impact={"revenue_per_hour": {"uniform": list(REVENUE)}},
                threats=[{"name": "fire", "scope": "site", "category": "facility", "rate": {"uniform": list(RATE)},
                          "duration_hours": DURATION}])


def _fixed(value):
    from riskmodel import Quantity

    return Quantity(value=value)


def test_break_even_of_a_single_covered_threat_equals_its_closed_form():
    """DR that always fails over within the RTO saves r·(d − rto) per event and costs c a year,
    so its NPV crosses zero at λ* = c / (r·(d − rto)), whatever the discount rate."""
    r, d, rto, c = 1_000.0, 30.0, 2.0, 14_000.0
    scenario = make(
        impact={"revenue_per_hour": r},
        threats=[{"name": "fire", "scope": "site", "category": "facility", "rate": {"uniform": [0.05, 2.0]},
                  "duration_hours": d}],
        architectures=[{"name": "dr", "covers": ["site"], "rto_hours": rto, "rpo_hours": 0, "failover_success": 1.0,
                        "opex_per_year": c}],
        options=[{"name": "none", "baseline": True}, {"name": "dr", "architecture": "dr"}])
    trials = 20_000
    found = break_even(scenario, "threats[0].rate", "dr", trials=trials, seed=5)
    exact = c / (r * (d - rto))
    assert found["crosses"]
    # Poisson counts: the mean event rate over T·H trial-years has standard error √(λ/(T·H))
    se = math.sqrt(exact / (trials * scenario.finance.horizon_years))
    assert abs(found["value"] - exact) < 3 * se
    never = break_even(scenario.with_input("architectures[0].opex_per_year", _fixed(1e9)), "threats[0].rate", "dr",
                       trials=2_000, seed=5)
    assert not never["crosses"] and never["value"] is None and max(never["npv at range"]) < 0


def test_evpi_is_zero_when_one_option_wins_on_every_trial():
    scenario = make(
        threats=[{"name": "fire", "scope": "site", "category": "facility", "rate": {"uniform": [0.2, 1.0]},
                  "duration_hours": {"ci90": [2, 40]}}],
        impact={"revenue_per_hour": 1_000.0},
        architectures=[{"name": "free dr", "covers": ["site"], "rto_hours": 0.5, "failover_success": 1.0}],
        options=[{"name": "none", "baseline": True}, {"name": "free dr", "architecture": "free dr"}])
    sim = simulate(scenario, 5_000, seed=2, keep_detail=True)
    assert (sim.detail.npv[1] >= 0).all()  # never worse than doing nothing, at no cost
    assert evpi(sim) == pytest.approx(0.0, abs=1e-9 * sim.npv_sum[1] / sim.trials)


def test_evpi_equals_its_closed_form_in_a_two_option_case():
    """No threats; a programme whose freed capacity is worth m × its wage, m ~ U[0, 2]: its NPV is
    U[a, b] with a = −PV(cost), b = PV(2 · freed) − PV(cost), and EVPI = E[max(0, N)] − max(0, E[N])."""
    rate, horizon, engineers, loaded, toil, cost = 0.05, 3, 10, 100_000.0, 0.2, 30_000.0
    programme = {"name": "sre", "engineers": engineers, "loaded_cost_per_engineer": loaded, "toil_share_now": 0.6,
                 "toil_share_target": 0.6 - toil, "ramp_years": 1, "cost_per_engineer_per_year": cost / engineers,
                 "value_of_freed_hour_multiplier": {"uniform": [0.0, 2.0]}}
    scenario = make(finance={"discount_rate": rate, "horizon_years": horizon},
                    threats=[{"name": "none", "scope": "site", "category": "facility", "rate": 0,
                              "duration_hours": 1}],
                    skills_programmes=[programme],
                    options=[{"name": "none", "baseline": True}, {"name": "sre", "skills": "sre"}])
    pv = sum((1 + rate) ** -t for t in range(1, horizon + 1))
    a, b = -cost * pv, (2 * engineers * toil * loaded - cost) * pv
    exact = b * b / (2 * (b - a)) - max(0.0, (a + b) / 2)
    trials = 40_000
    sim = simulate(scenario, trials, seed=9, keep_detail=True)
    npv = sim.detail.npv[1]
    se = np.std(np.maximum(npv, 0.0) - npv * (np.mean(npv) > 0), ddof=1) / math.sqrt(trials)
    assert abs(evpi(sim) - exact) < 3 * se


def test_partial_evpi_finds_the_input_that_decides():
    """Only the value multiplier moves the programme's NPV, so all the information value is in it."""
    programme = {"name": "sre", "engineers": 10, "loaded_cost_per_engineer": 100_000.0, "toil_share_now": 0.6,
                 "toil_share_target": 0.4, "ramp_years": 1, "cost_per_engineer_per_year": 3_000.0,
                 "value_of_freed_hour_multiplier": {"uniform": [0.0, 2.0]},
                 "replacement_cost": {"uniform": [1.0, 2.0]}}
    scenario = make(threats=[{"name": "none", "scope": "site", "category": "facility", "rate": 0,
                              "duration_hours": 1}], skills_programmes=[programme],
                    options=[{"name": "none", "baseline": True}, {"name": "sre", "skills": "sre"}])
    sim = simulate(scenario, 8_000, seed=4, keep_detail=True)
    values = partial_evpi(sim)
    assert values.index[0] == "skills_programmes[0].value_of_freed_hour_multiplier"
    assert values.iloc[0] == pytest.approx(evpi(sim), rel=0.05)
    assert values["skills_programmes[0].replacement_cost"] < 0.05 * values.iloc[0]


def test_sobol_indices_of_an_additive_model_match_their_analytic_values():
    """Y = Σ a_i X_i with X_i ~ U(0, 1) independent: S1_i = ST_i = a_i² / Σ a_j²."""
    from riskmodel.analysis.sensitivity import sobol_indices

    a = np.array([4.0, 2.0, 1.0, 0.0])
    indices = sobol_indices(["a", "b", "c", "d"], lambda u: u @ a, n=1024, seed=3)
    exact = a ** 2 / (a ** 2).sum()
    assert (np.abs(indices["S1"] - exact) <= indices["S1 conf"] + 1e-12).all()
    assert (np.abs(indices["ST"] - exact) <= indices["ST conf"] + 1e-12).all()


def test_sobol_on_the_engine_puts_the_linear_scenarios_variance_where_it_belongs():
    from riskmodel.analysis.sensitivity import sobol

    indices = sobol(linear_scenario(), metric="ale", inputs=["threats[0].rate", "services[0].impact.revenue_per_hour"],
                    n=64, trials=200, seed=2)
    # ALE = λ·d·r with λ ~ U[0.5, 2.5], r ~ U[100, 300]: squared coefficients of variation 0.15 vs 0.083 → λ first
    assert indices["S1"].idxmax() == "threats[0].rate"
    assert 0.9 < indices["ST"].sum() < 1.3  # a product is nearly additive here; little is left to interaction
