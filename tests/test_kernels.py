"""The compiled core against the numpy path: the same events, losses and sums."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from riskmodel import Scenario, load, simulate

from conftest import SCENARIOS, needs_numba, scenario_dict

pytestmark = needs_numba


def both(scenario, trials=1_500, seed=11):
    return [simulate(scenario, trials, seed=seed, keep_detail=True, engine=e) for e in ("numpy", "numba")]


def assert_same(numpy_run, numba_run):
    """Per-trial results agree to rounding, and every streamed sum to rounding of its largest term."""
    a, b = numpy_run.data, numba_run.data
    assert a.keys() == b.keys()
    for key in ("loss", "npv", "pair_cost"):
        assert_allclose(b["detail"][key], a["detail"][key], rtol=1e-12, atol=0, err_msg=key)
    for key in a:
        if key == "detail":
            continue
        x, y = np.asarray(a[key], dtype=float), np.asarray(b[key], dtype=float)
        if key.endswith("hist") or x.dtype.kind in "iu":
            assert_array_equal(y, x, err_msg=key)
        else:
            assert_allclose(y, x, rtol=0, atol=1e-12 * max(np.abs(x).max(), 1.0), err_msg=key)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_gives_the_same_numbers_on_both_paths(path):
    assert_same(*both(load(path)))


services = st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, min_size=1, max_size=4)


@given(st.data())
def test_dependencies_pass_downtime_the_same_way_on_both_paths(draws):
    """Random dependency graphs (acyclic: a service depends only on earlier ones), site and component threats."""
    names = draws.draw(services)
    layout = [{"name": n, "site": draws.draw(st.sampled_from(["s1", "s2"])),
               "depends_on": draws.draw(st.lists(st.sampled_from(names[:i]), unique=True)) if i else [],
               "impact": {"revenue_per_hour": draws.draw(st.floats(0, 1e4)),
                          "churn_max": draws.draw(st.sampled_from([0.0, 0.05])), "customers": 1000,
                          "customer_lifetime_value": 20, "fine": draws.draw(st.sampled_from([0.0, 5e4])),
                          "regulatory_threshold_hours": 4, "data_value_per_hour": 100}}
              for i, n in enumerate(names)]
    data = scenario_dict(
        sites=[{"name": "s1", "region": "r1"}, {"name": "s2", "region": "r2"}], services=layout,
        threats=[{"name": "fire", "scope": "site", "category": "facility", "rate": 0.6,
                  "duration_hours": {"ci90": [2, 40]}, "data_loss_hours": {"uniform": [0, 2]}},
                 {"name": "bug", "scope": "component", "category": "software", "rate": 2.0,
                  "duration_hours": {"pert": [0.5, 2, 12]}}],
        options=[{"name": "none", "baseline": True}, {"name": "warm", "architecture": "warm_standby"},
                 {"name": "aa", "architecture": "active_active"}])
    del data["impact"]
    assert_same(*both(Scenario.from_dict(data), trials=300, seed=draws.draw(st.integers(0, 2**32 - 1))))


def test_auto_takes_the_kernel_only_for_runs_that_repay_loading_it(monkeypatch):
    from riskmodel import _kernels

    assert _kernels.worth_compiling(_kernels.WORTH_COMPILING)
    monkeypatch.delitem(__import__("sys").modules, "numba", raising=False)
    assert not _kernels.worth_compiling(_kernels.WORTH_COMPILING / 2)
