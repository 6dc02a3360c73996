"""The tornado against closed forms: swings, their paired standard errors, adaptive trials (DESIGN §10)."""

import math

import numpy as np
import pytest
from conftest import make
from test_sensitivity import DURATION, RATE, REVENUE, _fixed, linear_scenario

from riskmodel import simulate
from riskmodel.analysis.model_runs import metric_of
from riskmodel.analysis.tornado import tornado


def test_tornado_swings_equal_their_analytic_values():
    trials = 20_000
    table = tornado(linear_scenario(), metric="ale", trials=trials, seed=3)
    mean_rate, mean_revenue = sum(RATE) / 2, sum(REVENUE) / 2
    q = lambda lo, hi, p: lo + (hi - lo) * p  # noqa: E731
    expected = {
        "services[0].impact.revenue_per_hour": mean_rate * DURATION * (q(*REVENUE, 0.9) - q(*REVENUE, 0.1)),
        "threats[0].rate": mean_revenue * DURATION * (q(*RATE, 0.9) - q(*RATE, 0.1)),
    }
    assert list(table.index) == sorted(expected, key=expected.get, reverse=True)
    for path, swing in expected.items():
        row = table.loc[path]
        # each end is a mean over trials: its standard error bounds the swing's error
        se = math.hypot(*(metric_of(simulate(linear_scenario(), trials, seed=3,
                                             overrides={path: _fixed(v)}), "ale", "none")[1]
                          for v in (row["input_low"], row["input_high"])))
        assert abs(row["swing"] - swing) < 3 * se, path


def test_a_tornado_runs_only_its_option_and_the_baseline_and_gets_the_full_runs_numbers():
    """Inputs only other options use cannot move the option's metric: they get swing 0 with no run,
    and the base is the full scenario's figure to the last bit."""
    from conftest import SCENARIOS

    from riskmodel import load
    from riskmodel.inputs import epistemic_inputs

    scenario = load(SCENARIOS / "kakao-2022.yaml")
    other = "presets.active_active.failover_success"
    mine = next(p for p in epistemic_inputs(scenario) if p.startswith("skills_programmes[0]"))
    table = tornado(scenario, "npv", "skills_programme", trials=400, seed=2, inputs=[other, mine])
    full = metric_of(simulate(scenario, 400, seed=2), "npv", "skills_programme")[0]
    assert table.loc[other, "swing"] == 0 and table.loc[other, "metric_low"] == full
    assert table.loc[mine, "base"] == full


def test_bad_requests_name_the_field():
    with pytest.raises(ValueError, match="metric"):
        tornado(linear_scenario(), metric="irr", trials=100)
    with pytest.raises(ValueError, match="not epistemic inputs"):
        tornado(linear_scenario(), inputs=["threats[9].rate"], trials=100)
    with pytest.raises(ValueError, match="option"):
        tornado(linear_scenario(), option="nope", trials=100)


def test_a_tornado_on_a_dask_cluster_is_bit_identical_to_one_process():
    import distributed  # the cluster extra, which make test installs

    scenario = linear_scenario()
    here = tornado(scenario, metric="ale", trials=3_000, seed=12)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        there = tornado(scenario, metric="ale", trials=3_000, seed=12, executor=client.get_executor())
    assert there.equals(here)




def test_a_swings_standard_error_is_the_spread_of_its_swing_over_seeds():
    """The paired SE (each trial's high − low on the same futures) against the spread of the swing
    over independent seeds; and it is below what two unpaired runs' errors would give (the two
    runs share every other draw, so what they share cancels)."""
    seeds, trials = range(24), 2_000
    tables = [tornado(linear_scenario(), metric="ale", trials=trials, seed=s) for s in seeds]
    for path in tables[0].index:
        swings = np.array([t.loc[path, "swing"] for t in tables])
        ses = np.array([t.loc[path, "swing_se"] for t in tables])
        # The sample SD of k swings is off by some 1/√(2(k − 1)) of itself: 3 of those.
        tolerance = 3 / math.sqrt(2 * (len(swings) - 1))
        assert abs(swings.std(ddof=1) / ses.mean() - 1) < tolerance, path
        row = tables[0].loc[path]
        unpaired = math.hypot(*(metric_of(simulate(linear_scenario(), trials, seed=0,
                                                   overrides={path: _fixed(v)}), "ale", "none")[1]
                                for v in (row["input_low"], row["input_high"])))
        assert row["swing_se"] < unpaired, path


def rare_scenario():
    """A frequent small threat and a rare long one: the rare one's bar rests on few events."""
    return make(impact={"revenue_per_hour": {"uniform": list(REVENUE)}},
                threats=[{"name": "glitch", "scope": "site", "category": "facility", "rate": {"uniform": [2.0, 4.0]},
                          "duration_hours": 1.0},
                         {"name": "fire", "scope": "site", "category": "facility",
                          "rate": {"uniform": [0.002, 0.02]}, "duration_hours": 300.0}])


def test_adaptive_trials_reach_the_precision_or_the_cap_and_each_input_is_a_plain_run_at_its_trials():
    first, cap, precision = 1_000, 64_000, 0.02
    table = tornado(rare_scenario(), metric="ale", trials=first, seed=4, precision=precision, max_trials=cap)
    goal = precision * table["swing"].max()
    assert ((table["swing_se"] <= goal) | (table["trials"] == cap)).all()
    grown = table[table["trials"] > first]
    assert "threats[1].rate" in grown.index  # the rare fire needed more than the first pass
    assert (grown["trials"] < cap).any()  # and more trials got there, not only the cap
    for path, row in grown.iterrows():
        plain = tornado(rare_scenario(), metric="ale", trials=int(row["trials"]), seed=4, inputs=[path]).loc[path]
        # Passes continued on the next futures: the same trials, their sums added in another order.
        assert plain["metric_low"] == pytest.approx(row["metric_low"], rel=1e-12)
        assert plain["metric_high"] == pytest.approx(row["metric_high"], rel=1e-12)
        assert plain["swing_se"] == row["swing_se"]  # the same per-trial differences, bit for bit


def test_a_precision_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="precision: 0 — must be a fraction"):
        tornado(linear_scenario(), trials=100, precision=0)


def test_a_bar_counts_the_trials_that_carry_its_spread_and_rounding_moves_nothing():
    from riskmodel.analysis.tornado import Bar, _paired

    low = np.full(1_000, 1e9)
    even = _paired([(1e9, low, 1e9 + 1.0, low + np.tile([0.0, 2.0], 500))])  # half the trials differ by 2
    assert even.swing == pytest.approx(1.0) and even.effective == pytest.approx(1_000)
    one = _paired([(1e9, low, 1e9 + 1.0, low + np.eye(1, 1_000)[0] * 1_000.0)])  # one trial carries it all
    assert one.effective == pytest.approx(1.0, abs=0.01)
    assert one.se == pytest.approx(1_000.0 * math.sqrt(0.001 * 0.999) / math.sqrt(1_000))
    rounding = _paired([(1e9, low, 1e9 + 2e-7, low + 2e-7)])  # a sum's last bits, not the input
    assert rounding == Bar(1e9, 1e9 + 2e-7, 0.0, 0.0, 1_000.0)
