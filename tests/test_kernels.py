"""The compiled core against the numpy path: the same events, losses and sums."""

import numpy as np
import parity
import pytest
from conftest import SCENARIOS, needs_numba, scenario_dict
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from parity import assert_same

from riskmodel import Scenario, load, simulate

pytestmark = needs_numba


def both(scenario, trials=1_500, seed=11):
    return [simulate(scenario, trials, seed=seed, keep_detail=True, engine=e) for e in ("numpy", "numba")]


@pytest.fixture(scope="module")
def securities():
    """securities-krw on both paths: its NPVs are small differences of flows some 1e4 times larger."""
    return both(load(SCENARIOS / "securities-krw.yaml"))


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_gives_the_same_numbers_on_both_paths(path, securities):
    assert_same(*(securities if path.stem == "securities-krw" else both(load(path))))


def test_a_tolerance_relative_to_the_npv_is_tighter_than_the_arithmetic(securities):
    """Why the bound follows the flows, not the result: on some trials the rounding the
    arithmetic allows exceeds 1e-12 of the NPV (the tolerance this test used to take,
    which failed on CPUs where numpy's exp is its AVX-512 code); where numpy's exp is not
    the C library's, the two paths really do differ by more than that."""
    numpy_run, numba_run = securities
    npv = numpy_run.detail.npv
    allowed = parity.bounds(numpy_run)["detail.npv"]
    nonzero = npv != 0
    assert (allowed[nonzero] > 1e-12 * np.abs(npv[nonzero])).any()
    if not parity.same_transcendentals():
        seen = np.abs(numba_run.detail.npv - npv)
        assert (seen[nonzero] > 1e-12 * np.abs(npv[nonzero])).any()


@pytest.mark.parametrize("key", ["pair_cost", "loss", "npv"])
def test_the_bounds_catch_a_typical_value_moved_by_1e_13(securities, key):
    """The bounds have teeth: for half the values they allow less than a tenth of 1e-12
    (about 30–110 eps on the shipped scenarios), so moving such a value by 1e-13 of itself
    on the compiled path fails."""
    numpy_run, numba_run = securities
    x = getattr(numpy_run.detail, key)
    ratio = np.where(x != 0, parity.bounds(numpy_run)[f"detail.{key}"] / np.abs(np.where(x != 0, x, 1)), np.inf)
    flat = np.argsort(ratio, axis=None)[np.count_nonzero(x) // 2]  # the median of the nonzero values
    moved = getattr(numba_run.detail, key).copy()
    moved.flat[flat] = x.flat[flat] * (1 + 1e-13)
    tol = parity.bounds(numpy_run)
    parity.check(f"detail.{key}", x, getattr(numba_run.detail, key), tol)  # as computed: within
    with pytest.raises(AssertionError, match=f"detail.{key}"):  # moved: beyond, on any CPU
        parity.check(f"detail.{key}", x, moved, tol)


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
    from riskmodel.engine import kernels as _kernels

    assert _kernels.worth_compiling(_kernels.WORTH_COMPILING)
    monkeypatch.delitem(__import__("sys").modules, "numba", raising=False)
    assert not _kernels.worth_compiling(_kernels.WORTH_COMPILING / 2)


def test_every_form_and_feature_gives_the_same_numbers_on_both_paths():
    """A threat drawing its site, region and logical threats, every distribution form, growth,
    uncertain incident costs, added incidents, manual failover, point-in-time recovery and a
    programme (MTTR, fewer human errors, failover uplift): each a branch of the compiled core."""
    impact = {"revenue_per_hour": {"ci90": [500, 2000]}, "recovered_fraction": 0.2, "staff_idle": 10,
              "loaded_cost_per_hour": 50, "sla_penalty_per_hour": 300, "sla_grace_hours": 2,
              "compensation_per_hour": 100, "compensation_threshold_hours": 3, "fine": 2e4,
              "regulatory_threshold_hours": 6, "customers": 1e4, "churn_max": {"pert": [0, 0.01, 0.03]},
              "churn_tau_hours": 36, "customer_lifetime_value": 50, "responder_cost_per_hour": 400,
              "incident_fixed_cost": {"ci90": [1e3, 1e4]}, "data_value_per_hour": 800}
    data = scenario_dict(
        finance={"discount_rate": 0.05, "horizon_years": 4},
        sites=[{"name": "s1", "region": "r1"}, {"name": "s2", "region": "r1"}, {"name": "s3", "region": "r2"}],
        services=[{"name": "a", "site": "s1", "impact": impact},
                  {"name": "b", "site": "s2", "depends_on": ["a"], "impact": {**impact, "growth_rate": 0.1}},
                  {"name": "c", "site": "s3", "impact": {**impact, "incident_fixed_cost": 5e3}}],
        threats=[
            {"name": "fire", "scope": "site", "category": "facility", "rate": 0.4,
             "sites": {"s1": 0.5, "s2": 0.3, "s3": 0.2}, "duration_hours": {"gamma": [2.0, 0.1]},
             "data_loss_hours": {"triangular": [0, 1, 4]}},
            {"name": "quake", "scope": "region", "category": "facility", "region": "r1",
             "annual_probability": 0.1, "duration_hours": {"triangular": [5, 20, 90]}},
            {"name": "disk", "scope": "component", "category": "hardware", "mtbf_hours": 4000,
             "duration_hours": {"uniform": [0.5, 6]}},
            {"name": "bug", "scope": "component", "category": "software", "rate": {"ci90": [0.5, 3]},
             "duration_hours": {"beta": [2, 5]}},
            {"name": "typo", "scope": "component", "category": "human_error", "rate": 1.5,
             "duration_hours": {"lognormal": {"median": 2, "p95": 9}}},
            {"name": "wiper", "scope": "logical", "category": "cyber", "return_period_years": 5,
             "duration_hours": 48, "data_loss_hours": {"pert": [2, 12, 48]}}],
        architectures=[
            {"name": "fragile", "preset": "pilot_light", "failover_control": "in_primary_site",
             "manual_failover_success": {"pert": [0.5, 0.8, 0.95]}, "manual_rto_hours": {"ci90": [2, 30]},
             "added_incident_rate": 0.8},
            {"name": "far", "preset": "warm_standby", "geo_separated": True, "covers": ["site", "region"]}],
        skills_programmes=[{"name": "sre", "engineers": 5, "loaded_cost_per_engineer": 1e5,
                            "toil_share_now": 0.7, "toil_share_target": 0.5, "ramp_years": 2,
                            "cost_per_engineer_per_year": 5e3, "mttr_multiplier": {"ci90": [0.6, 0.9]},
                            "human_error_rate_multiplier": {"ci90": [0.5, 0.9]},
                            "failover_success_uplift": {"pert": [0, 0.05, 0.1]}}],
        options=[{"name": "none", "baseline": True}, {"name": "fragile", "architecture": "fragile"},
                 {"name": "far", "architecture": "far"}, {"name": "backup", "architecture": "backup_and_restore"},
                 {"name": "aa", "architecture": "active_active"},
                 {"name": "fragile_sre", "architecture": "fragile", "skills": "sre"}])
    del data["impact"]
    runs = both(Scenario.from_dict(data), trials=2_000, seed=5)
    assert_same(*runs)
    assert (runs[1].events > 0).all()  # every threat, the added incidents included, had events


def test_rates_past_the_normal_switch_count_the_same_on_both_paths():
    """Above threats.NORMAL_ABOVE both paths count from the normal approximation, at the same uniforms."""
    data = scenario_dict(threats=[{"name": "flaky", "scope": "component", "category": "software",
                                   "rate": {"uniform": [400, 900]}, "duration_hours": {"ci90": [0.1, 1]}}])
    runs = both(Scenario.from_dict(data), trials=60, seed=3)
    assert_array_equal(runs[1].events, runs[0].events)
    assert_same(*runs)
