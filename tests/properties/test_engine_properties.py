"""Invariants of the engine, checked on scenarios hypothesis draws.

Every comparison is trial-year by trial-year on the same seed: the engine's common
random numbers make these hold exactly, not just on average.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from riskmodel import Scenario, appraise, simulate

positive = st.floats(0.05, 50.0)
rates = st.floats(0.01, 3.0)
scopes = st.sampled_from(["component", "site", "region", "logical"])


@st.composite
def quantities(draw, low=0.1, high=100.0):
    """A positive quantity in any of the uncertain-input forms."""
    if low == 0 and draw(st.booleans()):
        return 0.0
    a = draw(st.floats(max(low, 1e-3), high))
    b = a * draw(st.floats(1.5, 20.0))
    form = draw(st.sampled_from(["value", "ci90", "pert", "uniform", "triangular", "lognormal"]))
    if form == "value":
        return a
    if form == "lognormal":
        return {"lognormal": {"median": a, "p95": b}}
    if form in ("pert", "triangular"):
        return {form: [a, (a + b) / 2, b]}
    return {form: [a, b]}


@st.composite
def scenarios(draw):
    n_threats = draw(st.integers(1, 3))
    threats = [{"name": f"t{i}", "scope": draw(scopes), "category": "software", "rate": draw(rates),
                "duration_hours": draw(quantities()), "data_loss_hours": draw(quantities(0.0, 5.0))}
               for i in range(n_threats)]
    impact = {"revenue_per_hour": draw(quantities(10, 1e5)), "recovered_fraction": draw(st.floats(0, 0.9)),
              "sla_penalty_per_hour": draw(quantities(0.0, 1e3)), "sla_grace_hours": draw(st.floats(0, 4)),
              "fine": draw(quantities(0.0, 1e5)), "regulatory_threshold_hours": draw(st.floats(0, 24)),
              "customers": 1000, "churn_max": draw(st.floats(0, 0.1)), "customer_lifetime_value": 50,
              "incident_fixed_cost": draw(quantities(0.0, 1e4)), "data_value_per_hour": draw(quantities(0.0, 1e3))}
    return {
        "name": "drawn", "currency": "USD", "finance": {"discount_rate": 0.05, "horizon_years": 2},
        "impact": impact, "infra_annual_cost": 1e4, "threats": threats,
        "architectures": [{"name": "dr", "preset": draw(st.sampled_from(
            ["backup_and_restore", "pilot_light", "warm_standby", "hot_standby", "active_active"])),
            "geo_separated": draw(st.booleans())}],
        "options": [{"name": "none", "baseline": True}, {"name": "dr", "architecture": "dr"}],
    }


def run(data, trials=300, seed=3):
    return simulate(Scenario.from_dict(data), trials=trials, seed=seed, keep_detail=True)


@given(scenarios(), st.integers(0, 2), st.floats(1.0, 5.0))
def test_a_higher_threat_rate_never_lowers_loss(data, which, factor):
    which = which % len(data["threats"])
    base = run(data).detail.loss
    data["threats"][which]["rate"] *= factor
    higher = run(data).detail.loss
    assert (higher >= base).all()


@given(scenarios(), st.floats(0.0, 10.0), st.floats(0.0, 1.0))
def test_a_shorter_rto_never_raises_downtime(data, rto, shrink):
    data["architectures"][0]["rto_hours"] = rto
    longer = run(data).downtime_sum[1]
    data["architectures"][0]["rto_hours"] = rto * shrink
    shorter = run(data).downtime_sum[1]
    assert (shorter <= longer).all()


@given(scenarios())
def test_an_option_that_covers_everything_and_always_fails_over_never_loses(data):
    data["architectures"] = [{"name": "dr", "covers": ["component", "site", "region"], "geo_separated": True,
                              "point_in_time_recovery": True, "failover_success": 1.0,
                              "rto_hours": {"ci90": [0.1, 30]}, "rpo_hours": {"uniform": [0, 2]}}]
    loss = run(data).detail.loss
    assert (loss[1] <= loss[0]).all()


@given(scenarios(), st.integers(0, 2**32 - 1))
def test_no_nan_or_inf_for_any_valid_scenario(data, seed):
    sim = run(data, trials=200, seed=seed)
    for key, value in sim.totals().items():
        if key != "detail":
            assert np.isfinite(np.asarray(value, dtype=float)).all(), key
    result = appraise(sim)
    assert np.isfinite(result.risk.to_numpy(dtype=float)).all()
    assert np.isfinite(result.comparison().drop(columns=["roi", "payback"]).to_numpy(dtype=float)).all()
