"""Service portfolios: shared sites, dependencies, tiers (DESIGN §12)."""

import numpy as np
import pytest
from conftest import SCENARIOS, make, scenario_dict
from numpy.testing import assert_array_equal

from riskmodel import Scenario, ScenarioError, appraise, load, simulate

SITE_FIRE = {"name": "fire", "scope": "site", "category": "facility", "rate": 0.3, "duration_hours": {"ci90": [2, 40]}}
GLITCH = {"name": "glitch", "scope": "component", "category": "software", "rate": 1.0,
          "duration_hours": {"ci90": [0.5, 4]}}


def portfolio(services, sites=({"name": "a", "region": "r1"}, {"name": "b", "region": "r2"}), threats=(SITE_FIRE,),
              **changes):
    data = scenario_dict(threats=list(threats), sites=list(sites), services=services, **changes)
    del data["impact"]
    return Scenario.from_dict(data)


def service(name, site, **changes):
    return {"name": name, "site": site, "impact": {"revenue_per_hour": 100.0}, **changes}


def test_services_on_one_site_are_down_in_exactly_the_same_trial_years():
    scenario = portfolio([service("x", "a"), service("y", "a"), service("z", "b")])
    sim = simulate(scenario, trials=3_000, seed=1, keep_detail=True)
    d = sim.detail
    per_service = {s: np.zeros(sim.trial_years) for s in range(3)}
    for s in range(3):
        pairs = d.pair_service == s
        events = d.pair_event[pairs]
        ty = d.event_trial[events] * sim.horizon_years + d.event_year[events]
        np.add.at(per_service[s], ty, d.pair_cost[0][pairs])
    assert_array_equal(per_service[0] > 0, per_service[1] > 0)
    assert (per_service[0] > 0).any() and not np.array_equal(per_service[0] > 0, per_service[2] > 0)


def test_services_on_separate_sites_with_independent_threats_are_uncorrelated():
    scenario = portfolio([service("x", "a"), service("z", "b")])
    sim = simulate(scenario, trials=20_000, horizon_years=1, seed=2, keep_detail=True)
    d = sim.detail
    losses = np.zeros((2, sim.trial_years))
    np.add.at(losses, (d.pair_service, d.event_trial[d.pair_event]), d.pair_cost[0])
    r = np.corrcoef(losses)[0, 1]
    assert abs(r) < 3 / np.sqrt(sim.trial_years)  # the standard error of r under independence


def test_single_service_in_portfolio_form_is_bit_identical_to_the_plain_form():
    plain = make(threats=[SITE_FIRE, GLITCH], infra_annual_cost=5000.0,
                 options=[{"name": "none", "baseline": True}, {"name": "warm", "architecture": "warm_standby"}])
    data = plain.to_dict()
    impact, infra = data.pop("impact"), data.pop("infra_annual_cost")
    data["sites"] = [{"name": "primary"}]
    data["services"] = [{"name": "business", "site": "primary", "impact": impact, "infra_annual_cost": infra}]
    as_portfolio = Scenario.from_dict(data)
    a, b = simulate(plain, 5_000, seed=3).totals(), simulate(as_portfolio, 5_000, seed=3).totals()
    for key in a:
        assert_array_equal(a[key], b[key], err_msg=key)


def test_a_dependent_is_never_up_while_its_dependency_is_down():
    scenario = portfolio([service("login", "a"), service("shop", "b", depends_on=["login"])],
                         threats=(SITE_FIRE, GLITCH),
                         options=[{"name": "none", "baseline": True},
                                  {"name": "warm", "architecture": "warm_standby"}])
    sim = simulate(scenario, trials=3_000, seed=4, keep_detail=True)
    d = sim.detail
    # rebuild each event's downtime per service from the pair costs' inputs: revenue is
    # 100/h for both services, so cost / 100 is the downtime in hours
    for o in range(2):
        down = np.zeros((d.event_trial.size, 2))
        down[d.pair_event, d.pair_service] = d.pair_cost[o] / 100.0
        assert (down[:, 1] >= down[:, 0] - 1e-9).all()
    assert (sim.downtime_sum[:, 1] >= sim.downtime_sum[:, 0]).all()


def test_a_dependency_cycle_is_named():
    with pytest.raises(ScenarioError, match="dependency cycle a → b → c → a"):
        portfolio([service("a", "a", depends_on=["b"]), service("b", "a", depends_on=["c"]),
                   service("c", "b", depends_on=["a"])])


def test_tiered_option_costs_between_the_uniform_ones():
    result = appraise(simulate(load(SCENARIOS / "kakao-2022.yaml"), trials=1_000, seed=5))
    cost = result.investment["annual_cost"]
    assert cost["backup_and_restore"] < cost["tiered"] < cost["active_active"]
    ale = result.risk["ale"]
    assert ale["active_active"] < ale["tiered"] < ale["backup_and_restore"]


@pytest.fixture(scope="module")
def kakao_detail():
    scenario = load(SCENARIOS / "kakao-2022.yaml")
    return appraise(simulate(scenario, trials=2_000, seed=6, keep_detail=True))


def test_concentration_share_matches_the_per_event_output(kakao_detail):
    d = kakao_detail.simulation.detail
    for o, name in enumerate(kakao_detail.simulation.options):
        cost = d.pair_cost[o]
        costly = np.bincount(d.pair_event, weights=cost > 0, minlength=d.event_trial.size)
        multi = costly[d.pair_event] > 1
        expected = cost[multi].sum() / cost.sum()
        assert kakao_detail.concentration[name] == pytest.approx(expected, rel=1e-9)
    assert 0 < kakao_detail.concentration.iloc[0] < 1


def test_single_building_loss_matches_the_engine_on_that_event():
    scenario = load(SCENARIOS / "kakao-2022.yaml")
    table = appraise(simulate(scenario, trials=200, seed=1)).buildings
    row = table.loc["pangyo"]
    # The same event through the engine: that threat only, at its 95th-percentile
    # duration, every impact input at its mean, no DR.
    data = scenario.to_dict()
    threat = next(t for t in data["threats"] if t["name"] == row["threat"])
    threat.update(duration_hours=row["outage_hours"], data_loss_hours=row["data_lost_hours"], rate=1.0)
    data["threats"] = [threat]
    for svc, model in zip(data["services"], scenario.services):
        svc["impact"] = {f: (q.mean() if hasattr(q, "mean") else q) for f, q in model.impact}
    data["options"] = [{"name": "none", "baseline": True}]
    sim = simulate(Scenario.from_dict(data), trials=50, horizon_years=1, seed=2, keep_detail=True)
    d = sim.detail
    per_event = np.bincount(d.pair_event, weights=d.pair_cost[0], minlength=d.event_trial.size)
    assert per_event.size > 0
    np.testing.assert_allclose(per_event, row["loss"], rtol=1e-9)
