"""Adaptive precision: stages stop exactly where the three conditions first hold, and the result is a fixed run."""

import pytest
from numpy.testing import assert_array_equal
from test_decision import dr, scenario

from riskmodel.analysis import precision
from riskmodel.analysis.decision import conditions, decide
from riskmodel.engine import run

SEED = 7


@pytest.fixture(scope="module")
def case():
    return scenario([dr(500.0), dr(700.0, "dear")], [{"name": "dr", "architecture": "dr"},
                                                      {"name": "dear", "architecture": "dear"}],
                    risk_tolerance=[[5_000.0, 0.3]])


def test_an_adaptive_run_stops_at_the_first_stage_where_the_conditions_hold(case, monkeypatch):
    stages = []
    wanted = precision.trials_wanted

    def recording(decision, target, trials):
        stages.append(trials)
        return wanted(decision, target, trials)

    monkeypatch.setattr(precision, "trials_wanted", recording)
    sim = precision.simulate(case, seed=SEED, precision=0.01, basis="cash", engine="numpy")
    assert len(stages) >= 2 and stages[-1] == sim.trials  # it grew, and stopped where it last looked
    status = precision.status(sim)
    assert status.settled and status.achieved <= 0.01
    # every earlier stage, run on its own, misses a condition; the last meets all three
    for trials in stages[:-1]:
        assert not all(conditions(decide(run.simulate(case, trials, seed=SEED, engine="numpy"), "cash"),
                                  0.01).values()), trials
    assert all(conditions(decide(sim, "cash"), 0.01).values())


def test_an_adaptive_run_equals_a_fixed_run_of_its_trials_bit_for_bit(case):
    sim = precision.simulate(case, seed=SEED, precision=0.01, basis="cash", engine="numpy")
    fixed = run.simulate(case, sim.trials, seed=SEED, engine="numpy")
    a, b = sim.totals(), fixed.totals()
    assert a.keys() == b.keys()
    for key in a:
        assert_array_equal(a[key], b[key], err_msg=key)


def test_a_capped_run_says_which_condition_is_unmet(case):
    sim = precision.simulate(case, seed=SEED, precision=0.001, basis="cash", max_trials=3_000, engine="numpy")
    status = precision.status(sim)
    assert sim.trials == 3_000 and not status.settled
    assert "npv_precision" in status.unmet and status.achieved > 0.001
    se, npv = decide(sim, "cash").npv_se, decide(sim, "cash").npv
    assert status.achieved == pytest.approx(se / abs(npv), rel=1e-12)


def test_a_fixed_run_has_no_precision_status(case):
    assert precision.status(precision.simulate(case, 1_000, seed=SEED)) is None


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.01, float("nan"), "1%"])
def test_a_precision_outside_0_to_1_is_refused_by_name(case, bad):
    with pytest.raises(ValueError, match=r"^precision: "):
        precision.simulate(case, precision=bad)


def test_the_trials_asked_for_follow_one_over_root_n(case):
    """The SE of an NPV at n trials projects to n·(SE / target)² trials; the next stage asks for that."""
    sim = run.simulate(case, 2_000, seed=SEED, engine="numpy")
    d = decide(sim, "cash")
    target = 0.5 * d.npv_se / abs(d.npv)  # twice as precise: four times the trials
    met = conditions(d, target)
    assert met == {"npv_precision": False, "lead_clear": True, "tolerance_clear": True}  # only the NPV binds
    assert precision.trials_wanted(d, target, 2_000) == pytest.approx(8_000, rel=1e-9)
