"""Warnings of a scenario that validates but would give a meaningless figure, and the unsourced count."""

import pytest
from conftest import SCENARIOS, make, scenario_dict

from riskmodel import Scenario, load, simulate
from riskmodel.checks import CODES, unsourced, warnings

SHIPPED = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
OPTIONS = [{"name": "none", "baseline": True}, {"name": "warm", "architecture": "warm_standby"}]


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_scenarios_have_no_warnings(name):
    assert warnings(load(name)) == []


def test_a_dr_preset_without_an_infrastructure_cost_is_warned_of_and_indeed_costs_nothing():
    s = make(options=OPTIONS)  # the preset prices warm standby as multiples of infra_annual_cost, not given
    assert [(w.code, w.params) for w in warnings(s)] == [
        ("no_infra_cost", {"service": "business", "architecture": "warm_standby"})]
    sim = simulate(s, 200, seed=1)
    assert sim.capex_sum[1] == 0 and sim.cost_year_sum[1].sum() == 0  # what the warning is about
    assert warnings(make(options=OPTIONS, infra_annual_cost=1e6)) == []


def test_a_service_whose_outage_costs_nothing_is_warned_of():
    s = make(impact={"revenue_per_hour": 0})
    assert [w.code for w in warnings(s)] == ["no_impact"]
    assert warnings(make(impact={"revenue_per_hour": 0, "fine": 1e5})) == []


def test_an_option_identical_to_another_is_warned_of():
    s = make(options=[*OPTIONS, {"name": "warm again", "architecture": "warm_standby"}], infra_annual_cost=1e6)
    assert [(w.code, w.field, w.params) for w in warnings(s)] == [
        ("duplicate_option", "options[2]", {"option": "warm again", "same_as": "warm"})]


def test_a_threat_on_a_site_without_services_is_warned_of():
    data = scenario_dict(sites=[{"name": "a"}, {"name": "b"}],
                         services=[{"name": "web", "site": "a", "impact": {"revenue_per_hour": 1000}}],
                         threats=[{"name": "fire at b", "scope": "site", "category": "facility", "rate": 0.1,
                                   "sites": {"b": 1.0}, "duration_hours": 10}])
    del data["impact"]
    s = Scenario.from_dict(data)
    assert [(w.code, w.params) for w in warnings(s)] == [("threat_strikes_nothing", {"threat": "fire at b"})]


def test_every_code_is_reported_in_its_order():
    assert CODES == ("no_infra_cost", "no_impact", "threat_strikes_nothing", "duplicate_option")


def test_unsourced_inputs_are_counted_among_those_given():
    missing, given = unsourced(make(threats=[{"name": "fire", "scope": "site", "category": "facility",
                                              "rate": {"value": 0.5, "source": "a study"}, "duration_hours": 4}]))
    assert "threats[0].rate" not in missing and "threats[0].duration_hours" in missing
    assert "services[0].impact.revenue_per_hour" in missing and 0 < len(missing) < given
