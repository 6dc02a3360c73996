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


def is_unset(q: Quantity) -> bool:
    """A zero the scenario left at the schema's default: fixed at 0 and sourced by nobody."""
    return q.is_fixed and q.value == 0 and not q.source


def shown_inputs(scenario: Scenario):
    """The inputs a reader of the scenario's case needs: those some option uses, less the zeros left unset.

    An architecture no option runs and a programme no option takes are left out, and so is
    every field still at its zero default (:func:`is_unset`); a zero given with a source stays.
    A preset's own figures are one table, ``data/reference/dr_strategies.csv``: an
    architecture made from a preset shows only the fields it overrides, and a preset used
    as it is (``presets.NAME``) none.
    """
    used_arch = {o.architecture_for(s) for o in scenario.options for s in scenario.services}
    used_prog = {o.skills for o in scenario.options if o.skills}
    for path, q, aleatory in all_inputs(scenario):
        head = path.split(".", 1)[0]
        if head == "presets":
            continue
        if head.startswith("architectures["):
            arch = scenario.architectures[int(head[len("architectures["):-1])]
            field = path.split(".")[1]
            if arch.name not in used_arch or (arch.preset is not None and field not in arch.overrides()):
                continue
        if head.startswith("skills_programmes["):
            if scenario.skills_programmes[int(head[len("skills_programmes["):-1])].name not in used_prog:
                continue
        if not is_unset(q):
            yield path, q, aleatory
