"""Recovery chains (DESIGN §5): each fallback step against its closed form, on both engine paths."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskmodel.engine import kernels
from riskmodel.engine.run import simulate
from riskmodel.models import architectures
from riskmodel.scenario import Scenario

D = 100.0  # the event's duration [h]
ENGINES = ["numpy", pytest.param("numba", marks=pytest.mark.skipif(not kernels.available(),
                                                                    reason="compiled core not installed"))]


def test_the_first_step_that_works_sets_the_downtime_and_the_clock_only_rises():
    yes, no = np.array([True] * 4), np.array([True, False, False, False])
    duration = np.full(4, D)
    down = architectures.chain_downtime(duration, yes, no, np.full(4, 5.0), yes, np.array([0, 1, 0, 0], bool),
                                        np.full(4, 2.0), yes, np.array([0, 0, 1, 0], bool), np.full(4, 30.0))
    # a manual step tried after a 5 h automatic one cannot finish at 2 h; none works: the site's own 100 h
    assert down.tolist() == [5.0, 5.0, 30.0, D]
    skipped = architectures.chain_downtime(duration, yes, no, np.full(4, 5.0), ~yes, yes, np.full(4, 2.0),
                                           yes, yes, np.full(4, 30.0))
    assert skipped.tolist() == [5.0, 30.0, 30.0, 30.0]  # a step that does not apply never works
    assert architectures.chain_downtime(np.full(4, 3.0), yes, yes, np.full(4, 5.0), yes, yes, np.full(4, 6.0),
                                        yes, yes, np.full(4, 7.0)).tolist() == [3.0] * 4  # the site came back first


def _one_service(arch: dict, scope: str = "site") -> Scenario:
    threat = {"name": "loss", "scope": scope, "category": "facility" if scope == "site" else "software",
              **({"sites": {"a": 1.0}} if scope == "site" else {}),
              "rate": {"value": 1.0}, "duration_hours": D}
    return Scenario.from_dict({
        "name": "chain", "currency": "USD", "sites": [{"name": "a"}, {"name": "b"}],
        "services": [{"name": "s", "site": "a", "impact": {"revenue_per_hour": 1.0}}],
        "threats": [threat],
        "architectures": [{"name": "dr", "covers": ["site", "logical"], "point_in_time_recovery": True,
                           "rpo_hours": 0, **arch}],
        "options": [{"name": "none", "baseline": True}, {"name": "dr", "architecture": "dr"}]})


# (architecture, outcomes as (probability, downtime [h])): the closed-form mixture of each chain.
CHAINS = {
    "automatic, then wait": (
        {"failover_success": 0.7, "rto_hours": 1.0, "manual_failover_success": 0},
        [(0.7, 1.0), (0.3, D)]),
    "automatic, then manual": (
        {"failover_success": 0.7, "rto_hours": 1.0, "manual_failover_success": 0.6, "manual_rto_hours": 6.0},
        [(0.7, 1.0), (0.3 * 0.6, 6.0), (0.3 * 0.4, D)]),
    "automatic, manual, restore, wait": (
        {"failover_success": 0.7, "rto_hours": 1.0, "manual_failover_success": 0.6, "manual_rto_hours": 6.0,
         "restore_success": 0.5, "restore_hours": 30.0},
        [(0.7, 1.0), (0.18, 6.0), (0.12 * 0.5, 30.0), (0.12 * 0.5, D)]),
    "a manual step quicker than the automatic one waits for it": (
        {"failover_success": 0.7, "rto_hours": 5.0, "manual_failover_success": 1.0, "manual_rto_hours": 2.0},
        [(1.0, 5.0)]),
    "control in the site that burned: manual, restore, wait": (
        {"failover_control": "in_primary_site", "failover_success": 0.99, "rto_hours": 0.1,
         "manual_failover_success": 0.6, "manual_rto_hours": 8.0, "restore_success": 0.5, "restore_hours": 40.0},
        [(0.6, 8.0), (0.2, 40.0), (0.2, D)]),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", list(CHAINS))
def test_each_fallback_step_gives_the_closed_form_mixture(name, engine):
    arch, outcomes = CHAINS[name]
    sim = simulate(_one_service(arch), trials=20_000, horizon_years=1, seed=11, engine=engine)
    n = int(sim.events.sum())
    mean = sum(p * t for p, t in outcomes)
    sd = math.sqrt(sum(p * (t - mean) ** 2 for p, t in outcomes))
    got = sim.downtime_sum[1, 0] / n
    assert abs(got - mean) <= 4 * sd / math.sqrt(n) + 1e-9 * mean, (name, got, mean, sd / math.sqrt(n))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_logical_event_has_no_manual_failover_or_restore_after_a_failed_point_in_time_restore(engine):
    """Live replicas copy the corruption: only the point-in-time restore applies (DESIGN §5)."""
    arch, _ = CHAINS["automatic, manual, restore, wait"]
    sim = simulate(_one_service(arch, scope="logical"), trials=20_000, horizon_years=1, seed=11, engine=engine)
    n = int(sim.events.sum())
    mean, sd = 0.7 * 1.0 + 0.3 * D, math.sqrt(0.7 * 0.3) * (D - 1.0)
    assert abs(sim.downtime_sum[1, 0] / n - mean) <= 4 * sd / math.sqrt(n)


@settings(max_examples=15, deadline=None)
@given(st.floats(0.0, 0.95), st.floats(0.01, 0.05), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_a_better_failover_success_never_raises_downtime(low, more, manual, restore):
    """On the same draws, raising the automatic (or manual) success only moves events to an earlier step."""
    def run(auto: float, by_hand: float) -> float:
        arch = {"failover_success": auto, "rto_hours": {"ci90": [0.5, 4]}, "manual_failover_success": by_hand,
                "manual_rto_hours": {"ci90": [2, 40]}, "restore_success": restore,
                "restore_hours": {"ci90": [10, 100]}}
        return simulate(_one_service(arch), trials=1_000, horizon_years=1, seed=5, engine="numpy").downtime_sum[1, 0]

    assert run(low + more, manual) <= run(low, manual) + 1e-9
    assert run(low, min(1.0, manual + more)) <= run(low, manual) + 1e-9
