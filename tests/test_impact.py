"""The cost model and recovery, defined once: closed forms, and the compiled forms against numpy's."""

import math

import numpy as np
from conftest import needs_numba
from numpy.testing import assert_allclose, assert_array_equal

from riskmodel.models import architectures, impact
from riskmodel.scenario import Impact

rng = np.random.default_rng(7)
N = 2_000


def parameters(n: int) -> dict[str, np.ndarray]:
    """Impact parameters over their ranges, each zero a tenth of the time."""
    scale = {"recovered_fraction": 1.0, "churn_max": 0.05, "sla_grace_hours": 8.0, "compensation_threshold_hours": 8.0,
             "regulatory_threshold_hours": 8.0, "churn_tau_hours": 100.0, "customers": 1e6}
    out = {f: rng.uniform(0, scale.get(f, 1e4), n) * (rng.uniform(size=n) > 0.1) for f in impact.PARAMETERS}
    out["churn_tau_hours"] = out["churn_tau_hours"] + 0.5  # > 0, as the schema asks
    return out


def by_hand(d: float, r: float, incident: float, g: float, p: dict) -> list[float]:
    """DESIGN §6 written out, one component at a time, in plain floats."""
    return [g * p["revenue_per_hour"] * d * (1 - p["recovered_fraction"]),
            g * p["staff_idle"] * p["loaded_cost_per_hour"] * d,
            g * p["sla_penalty_per_hour"] * max(0.0, d - p["sla_grace_hours"]),
            g * (p["compensation_per_hour"] * d if d > p["compensation_threshold_hours"] else 0.0),
            g * (p["fine"] if d > p["regulatory_threshold_hours"] else 0.0),
            g * p["customers"] * p["churn_max"] * (1 - math.exp(-d / p["churn_tau_hours"]))
            * p["customer_lifetime_value"],
            g * ((incident if d > 0 or r > 0 else 0.0) + p["responder_cost_per_hour"] * d),
            g * p["data_value_per_hour"] * r]


def test_parameters_are_the_schemas_impact_fields_that_scale_with_downtime():
    assert set(impact.PARAMETERS) == set(Impact.model_fields) - {"incident_fixed_cost", "growth_rate"}
    assert len(impact.pair_costs(1.0, 1.0, 0.0, 1.0, *(impact.DEFAULTS.get(f, 0.0) for f in impact.PARAMETERS))) == len(impact.COMPONENTS)


def test_pair_costs_are_design_6_component_by_component():
    p = parameters(N)
    d = rng.choice([0.0, 0.5, 4.0, 30.0, 200.0], N) * rng.uniform(0.5, 1.5, N)
    r = rng.uniform(0, 5, N) * (rng.uniform(size=N) > 0.5)
    incident, g = rng.uniform(0, 1e5, N), rng.uniform(1, 2, N)
    got = np.stack(impact.pair_costs(d, r, incident, g, *(p[f] for f in impact.PARAMETERS)))
    want = np.array([by_hand(d[i], r[i], incident[i], g[i], {f: p[f][i] for f in p}) for i in range(N)]).T
    assert_allclose(got, want, rtol=1e-12, atol=1e-9)


def test_nothing_is_owed_where_nothing_is_down_or_lost():
    """Why the compiled core may skip pricing such pairs: every component is exactly zero."""
    p = parameters(N)
    got = np.stack(impact.pair_costs(np.zeros(N), np.zeros(N), rng.uniform(0, 1e5, N), 1.5,
                                     *(p[f] for f in impact.PARAMETERS)))
    assert_array_equal(got, 0.0)
    assert not np.signbit(got).any()


def test_event_cost_leaves_out_the_components_the_scenario_gives_no_parameters():
    c = impact.event_cost(np.array([10.0]), np.array([1.0]), {"fine": 5.0, "staff_idle": 3.0}, 0.0)
    assert [k for k, v in c.items() if v is not None] == ["regulatory"]
    c = impact.event_cost(np.array([10.0]), np.array([1.0]), {}, np.array([7.0]))
    assert [k for k, v in c.items() if v is not None] == ["response"] and c["response"][0] == 7.0


def test_a_failover_works_below_its_success_capped_at_one_and_only_it_bounds_data_loss_by_the_rpo():
    u = np.array([0.1, 0.1, 0.95, 0.5])
    works = architectures.failover_works(u, np.array([0.9, 0.9, 0.9, 0.3]), np.array([0.0, 0.0, 0.2, 0.1]))
    assert works.tolist() == [True, True, True, False]  # 0.9 + 0.2 is capped at 1
    covered = np.array([True, False, True, True])
    assert architectures.data_loss(np.full(4, 3.0), covered, works, np.full(4, 5.0)).tolist() == [3.0, 3.0, 3.0, 3.0]
    assert architectures.data_loss(np.full(4, 3.0), covered, works, np.full(4, 1.0)).tolist() == [1.0, 3.0, 1.0, 3.0]


@needs_numba
def test_the_compiled_forms_are_numpys_on_scalars():
    """The compiled core compiles these very functions (kernels_numba registers them with numba)."""
    import numba

    from riskmodel.engine import kernels

    kernels.compiled()
    p = parameters(200)
    d, r = rng.uniform(0, 50, 200), rng.uniform(0, 3, 200) * (rng.uniform(size=200) > 0.5)
    incident = rng.uniform(0, 1e4, 200)
    args = [p[f] for f in impact.PARAMETERS]

    @numba.njit
    def one_pair(d, r, incident, q):
        return impact.pair_costs(d, r, incident, 1.25, *q)

    @numba.njit
    def recovery(d, covered, u, success, rto):
        works = architectures.failover_works(u, success, 0.0)
        fallback = u > 0.8
        return architectures.chain_downtime(d, covered, works, rto, covered, fallback, 2 * rto, True, not fallback,
                                            4 * rto)

    want = np.stack(impact.pair_costs(d, r, incident, 1.25, *args))
    got = np.array([one_pair(d[i], r[i], incident[i], tuple(a[i] for a in args)) for i in range(200)]).T
    # Churn's expm1 is the C library's in the compiled core, numpy's own SIMD code on some CPUs.
    assert_allclose(got, want, rtol=4 * np.finfo(float).eps, atol=0)
    u, covered = rng.uniform(size=200), rng.uniform(size=200) > 0.3
    want = architectures.chain_downtime(d, covered, architectures.failover_works(u, 0.6, 0.0), 4.0, covered,
                                        u > 0.8, 8.0, True, ~(u > 0.8), 16.0)
    assert_array_equal([recovery(d[i], covered[i], u[i], 0.6, 4.0) for i in range(200)], want)


@needs_numba
def test_the_compiled_cache_is_keyed_by_every_source_it_compiles(tmp_path):
    from riskmodel.engine import cache, kernels

    core = kernels.compiled()
    locator = core.chunk_losses._cache._impl.locator
    assert isinstance(locator, cache._TrackingLocator)
    assert impact.__file__ in locator._paths and architectures.__file__ in locator._paths
    copy = tmp_path / "impact.py"
    copy.write_text(open(impact.__file__).read())
    before = cache.source_stamp((str(copy),))
    copy.write_text(open(impact.__file__).read() + "\n# an edit\n")
    assert cache.source_stamp((str(copy),)) != before
