"""The engineer-skills programme (DESIGN §7): closed forms, a neutral programme, and the central claim."""

import math

import numpy as np
import pytest
from conftest import SCENARIOS, make
from numpy.testing import assert_allclose

from riskmodel import Quantity, appraise, load, simulate
from riskmodel.models import skills

PROGRAMME = {"name": "sre", "engineers": 12, "loaded_cost_per_engineer": 150_000, "toil_share_now": 0.7,
             "toil_share_target": 0.45, "ramp_years": 3, "cost_per_engineer_per_year": 8_000}
NEUTRAL = {"mttr_multiplier": 1.0, "human_error_rate_multiplier": 1.0, "failover_success_uplift": 0.0,
           "attrition_reduction": 0.0, "value_of_freed_hour_multiplier": 0.0}
THREATS = [
    {"name": "bad release", "scope": "component", "category": "software", "rate": 2.0,
     "duration_hours": {"ci90": [0.5, 6]}},
    {"name": "operator slip", "scope": "component", "category": "human_error", "rate": 1.0,
     "duration_hours": {"ci90": [1, 8]}},
    {"name": "fire", "scope": "site", "category": "facility", "rate": 0.05, "duration_hours": {"ci90": [24, 300]}},
]


def with_programme(programme: dict, horizon: int = 5, **changes):
    return make(finance={"discount_rate": 0.06, "horizon_years": horizon}, threats=THREATS,
                architectures=[{"name": "dr", "preset": "warm_standby"}], skills_programmes=[programme],
                options=[{"name": "none", "baseline": True}, {"name": "sre only", "skills": "sre"},
                         {"name": "dr", "architecture": "dr"}, {"name": "dr + sre", "architecture": "dr",
                                                                 "skills": "sre"}], **changes)


def test_freed_capacity_over_the_ramp_equals_its_closed_form():
    """engineers · (toil_now − toil_t) · loaded cost · multiplier, toil_t reaching the target linearly."""
    years = np.arange(1, 8)
    value = skills.freed_capacity_value(12, 150_000, 0.7, 0.45, 3, 1.25, years)
    closed = [12 * (0.7 - 0.45) * min(1.0, y / 3) * 150_000 * 1.25 for y in years]
    assert_allclose(value, closed, rtol=1e-15)
    # the engine pays the same, year by year, on every trial
    scenario = with_programme({**PROGRAMME, **NEUTRAL, "value_of_freed_hour_multiplier": 1.25}, horizon=7)
    sim = simulate(scenario, trials=50, seed=1, keep_detail=True)
    option = sim.options.index("sre only")
    assert_allclose(sim.detail.benefit_run[option], np.broadcast_to(closed, (50, 7)), rtol=1e-12)


def test_a_programme_with_every_effect_neutral_is_worth_minus_its_discounted_cost():
    scenario = with_programme({**PROGRAMME, **NEUTRAL})
    sim = simulate(scenario, trials=2_000, seed=4, keep_detail=True)
    option = sim.options.index("sre only")
    cost = PROGRAMME["engineers"] * PROGRAMME["cost_per_engineer_per_year"]
    pv_cost = sum(cost / 1.06 ** y for y in range(1, 6))
    # same events, same durations, same losses: only the programme's cost differs, on every trial
    np.testing.assert_array_equal(sim.detail.loss[option], sim.detail.loss[0])
    assert_allclose(sim.detail.npv[option], -pv_cost, rtol=1e-12)
    assert_allclose(appraise(sim).investment["npv_mean"]["sre only"], -pv_cost, rtol=1e-12)


@pytest.mark.parametrize("m", [0.5, 0.8])
def test_the_mttr_multiplier_scales_the_improved_categories_downtime(m):
    """ramp_years = 1: the full effect from year 1. Software and human-error outages last m
    times as long (closed form λ·E[d]·m, within 3 standard errors); the fire is untouched."""
    programme = {**PROGRAMME, **NEUTRAL, "ramp_years": 1, "mttr_multiplier": m,
                 "improves_categories": ["software", "human_error"]}
    scenario = with_programme(programme, impact={"revenue_per_hour": 1.0})  # loss [USD] = downtime [h]
    result = appraise(simulate(scenario, trials=20_000, seed=8))
    by_threat = result.threats  # loss [USD/yr] = downtime [h/yr]
    for name in ("bad release", "operator slip"):
        threat = next(t for t in scenario.threats if t.name == name)
        lam, d = threat.rate.value, threat.duration_hours
        n = 20_000 * 5
        expected = lam * d.mean() * m
        se = math.sqrt(lam * (d.frozen().var() + d.mean() ** 2) * m * m / n)
        assert abs(by_threat.loc["sre only", name] - expected) < 3 * se, name
        assert_allclose(by_threat.loc["sre only", name], m * by_threat.loc["none", name], rtol=1e-12)
    assert_allclose(by_threat.loc["sre only", "fire"], by_threat.loc["none", "fire"], rtol=1e-12)


@pytest.fixture(scope="module")
def unreliable_active_active():
    """kakao-2022 as shipped, but active-active's automatic failover works only about half the
    time (PERT 0.3–0.5–0.7), and every architecture also run by the shipped SRE programme."""
    scenario = load(SCENARIOS / "kakao-2022.yaml")
    scenario = scenario.with_input("presets.active_active.failover_success", Quantity(pert=(0.3, 0.5, 0.7)))
    return simulate(scenario.with_programme_options("sre_programme"), trials=2_000, seed=20221015,
                    keep_detail=True)


def _paired(sim, better: str, worse: str) -> tuple[float, float]:
    """Mean NPV difference of two options over the same trials, and its standard error [KRW]."""
    diff = sim.detail.npv[sim.options.index(better)] - sim.detail.npv[sim.options.index(worse)]
    return float(diff.mean()), float(diff.std(ddof=1) / math.sqrt(diff.size))


def test_active_active_without_the_skills_loses_to_a_cheaper_architecture_run_by_a_skilled_team(
        unreliable_active_active):
    gap, se = _paired(unreliable_active_active, "hot_standby + sre_programme", "active_active")
    assert gap > 3 * se


def test_the_programme_raises_active_actives_npv(unreliable_active_active):
    gain, se = _paired(unreliable_active_active, "active_active + sre_programme", "active_active")
    assert gain > 3 * se
