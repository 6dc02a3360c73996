"""A scenario's inputs by path: every number it holds, and those sampled once per trial.

Paths are as :meth:`riskmodel.scenario.Scenario.quantities` names them
(``threats[0].rate``, ``presets.active_active.failover_success``); architectures that
options use from the presets are included under ``presets.NAME``. The engine lays its
parameter columns out from these, sensitivity analysis varies the epistemic ones, and
the assumptions table lists them all.
"""

from __future__ import annotations

from riskmodel.distributions import Quantity
from riskmodel.scenario import Scenario


def all_inputs(scenario: Scenario):
    """Every input path of a scenario with its quantity, presets used by options included."""
    yield from scenario.quantities("")
    defined = {a.name for a in scenario.architectures}
    used = {o.architecture_for(s) for o in scenario.options for s in scenario.services}
    for name in sorted(used - defined):
        yield from scenario.architecture(name).quantities(f"presets.{name}")


def epistemic_inputs(scenario: Scenario) -> dict[str, Quantity]:
    """The inputs sampled once per trial, by path: what sensitivity analysis varies."""
    return {path: q for path, q, aleatory in all_inputs(scenario) if not aleatory}
