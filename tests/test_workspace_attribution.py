"""Which changed assumptions drive a difference: each change alone, on the same futures."""

from __future__ import annotations

import yaml
from conftest import scenario_dict

from riskmodel import edits
from riskmodel.distributions import Quantity
from riskmodel.workspace import Settings, attribution, results

BASE = yaml.safe_dump(scenario_dict(options=[{"name": "none", "baseline": True},
                                             {"name": "standby", "architecture": "warm_standby"}]), sort_keys=False)
RATE = edits.set_input(BASE, "threats[0].rate", Quantity(value=1.5))
SETTINGS = Settings(trials=1_000, seed=11)


def _ale(text: str) -> dict:
    result, _ = results.execute(text, SETTINGS)
    return result.risk["ale"].to_dict()


def test_a_single_change_alone_is_the_whole_difference_exactly():
    found, ale, npv = attribution.drivers(BASE, RATE, SETTINGS)
    [driver] = found
    assert driver.change.path == ("threats", "fire", "rate")
    assert driver.ale == ale and driver.npv == npv  # the same scenario, the same futures: bit for bit
    expected = {o: _ale(RATE)[o] - _ale(BASE)[o] for o in ale}
    assert ale == expected and ale["none"] > 0


def test_a_change_that_cannot_reach_the_loss_has_no_effect_on_it_and_the_rest_adds_up():
    both = edits.set_field(RATE, "finance.discount_rate", 0.2)
    found, ale, npv = attribution.drivers(BASE, both, SETTINGS)
    by_path = {d.change.path: d for d in found}
    rate, discount = by_path[("threats", "fire", "rate")], by_path[("finance", "discount_rate")]
    assert discount.ale == {"none": 0.0, "standby": 0.0}  # the same futures: exactly no change in losses
    assert discount.npv["standby"] != 0
    # losses do not depend on the discount rate, so the rate change alone is the whole ALE difference
    assert rate.ale == ale


def test_a_change_that_cannot_stand_alone_is_said_so():
    data = yaml.safe_load(BASE)
    data["architectures"] = [{"name": "mine", "preset": "hot_standby"}]
    data["options"].append({"name": "mine_option", "architecture": "mine"})
    with_new = yaml.safe_dump(data, sort_keys=False)
    found, ale, _ = attribution.drivers(BASE, with_new, SETTINGS)
    assert [d.change.path for d in found] == [("architectures",), ("options", "mine_option")]
    architecture, option = found
    # the option alone names an architecture the earlier version does not have: it cannot be made alone
    assert option.ale is None and option.npv is None
    # the architecture alone is used by no option: on the same futures, nothing moves
    assert architecture.ale == {"none": 0.0, "standby": 0.0}
    assert set(ale) == {"none", "standby"}  # the new option is in version B only: compared where both have it
