"""What would have to be true for an option to pay: break-even conditions, each with its standard error.

For each option, on the basis of benefit the decision uses (DESIGN §9), three values at
which its mean NPV against the baseline crosses zero:

* ``site_rate`` — the rate of the whole-site loss (the site threat with the longest mean
  outage, :func:`riskmodel.analysis.recovery.whole_site_loss`) [events per site-year], found by root-finding on common random numbers
  (:func:`riskmodel.analysis.sensitivity.break_even`);
* ``site_cost`` — the cost of one such event [currency]: in expectation the option's NPV
  is linear in the threat's rate λ (NPV = a + bλ, every event's costs counted once), and
  a factor m on what one event costs moves it as a factor m on λ does, so the option pays
  from ``m* = λ*/λ̄`` times today's cost, where λ* = −a/b comes from two runs at the ends
  of the rate's range on common random numbers (:func:`_line`, with its delta-method SE
  from the paired per-trial NPVs) and λ̄ is the rate's mean; the cost of one event now
  (the baseline's loss from the threat over its mean number of events) is shown beside it;
* ``failover`` — the automatic failover success of the option's architecture [0–1].

Each is set beside the scenario's own range (its 5th and 95th percentiles) and says
whether the crossing lies inside the plausible range (the 1st to 99th) at all. Where the
appraisal counts what the market and the regulator charge (``beyond_pnl: include: true``),
every run of the search counts them too (:func:`counted_scale`).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from riskmodel.analysis import charging, sensitivity
from riskmodel.analysis.appraisal import Appraisal
from riskmodel.analysis.recovery import whole_site_loss
from riskmodel.distributions import Quantity
from riskmodel.engine.run import simulate
from riskmodel.inputs import epistemic_inputs
from riskmodel.scenario import Scenario

KINDS = ("site_rate", "site_cost", "failover")


@dataclasses.dataclass(frozen=True)
class BreakEven:
    """One condition under which an option's NPV crosses zero."""

    option: str
    kind: str  #: one of :data:`KINDS`
    input: str | None  #: the input path it moves (None: no such input for this option)
    value: float | None  #: where the NPV crosses zero [the input's unit; site_cost: currency per event]
    se: float | None  #: its standard error, same unit
    now: float | None  #: the scenario's own value: the input's mean, or the cost of one event now
    low: float | None  #: the scenario's 5th percentile [the input's unit]
    high: float | None  #: its 95th percentile
    crosses: bool  #: a crossing inside the plausible range (1st to 99th percentile, or any factor > 0)
    pays_above: bool | None  #: True when the option pays above the value, False below, None without a crossing
    everywhere: bool | None = None  #: without a crossing: True if it pays over the whole range, False if never


def _input_path(scenario: Scenario, threat: str) -> str:
    i = next(i for i, t in enumerate(scenario.threats) if t.name == threat)
    form, _ = scenario.threats[i].frequency
    return f"threats[{i}].{form}"


def failover_path(scenario: Scenario, option: str) -> str | None:
    """The failover-success input of the architecture an option runs most of its services on; None if it has none."""
    o = next(x for x in scenario.options if x.name == option)
    counts: dict[str, int] = {}
    for service in scenario.services:
        name = o.architecture_for(service)
        counts[name] = counts.get(name, 0) + 1
    name = max(counts, key=counts.get)
    if not scenario.architecture(name).covers:
        return None  # no second site to fail over to (single_site)
    defined = [a.name for a in scenario.architectures]
    path = (f"architectures[{defined.index(name)}].failover_success" if name in defined
            else f"presets.{name}.failover_success")
    return path if path in epistemic_inputs(scenario) else None


def card(result: Appraisal, option: str, trials: int | None = None) -> list[BreakEven]:
    """The break-even conditions of ``option`` on the basis ``result`` decides on.

    Parameters
    ----------
    result : Appraisal
        The appraisal whose scenario, seed and basis the search uses.
    option : str
        An option other than the baseline.
    trials : int, optional
        Trials of each root-finding run [trials] (default: the appraisal's).

    Examples
    --------
    >>> from riskmodel import load, simulate, appraise  # doctest: +SKIP
    >>> result = appraise(simulate(load("kakao-2022"), trials=5_000))  # doctest: +SKIP
    >>> [b.kind for b in card(result, "active_active")]  # doctest: +SKIP
    ['site_rate', 'site_cost', 'failover']
    """
    sim = result.simulation
    scenario = sim.scenario
    trials = trials or sim.trials
    metric = "cash_npv" if result.basis == "cash" else "npv"
    inputs = epistemic_inputs(scenario)
    threat = whole_site_loss(scenario)
    scale = counted_scale(result)

    def root(kind: str, path: str | None) -> tuple[BreakEven, dict | None]:
        """The condition found by root-finding on common random numbers, and the search's own record."""
        if path is None or path not in inputs:
            return BreakEven(option, kind, None, None, None, None, None, None, False, None), None
        q = inputs[path]
        found = sensitivity.break_even(scenario, path, option, trials, sim.seed, metric=metric, threat_scale=scale)
        lo_npv, hi_npv = found["npv at range"]
        return BreakEven(option, kind, path, found["value"], found["se"], q.mean(), q.quantile(0.05),
                         q.quantile(0.95), found["crosses"], (hi_npv > lo_npv) if found["crosses"] else None,
                         None if found["crosses"] else bool(lo_npv > 0 and hi_npv > 0)), found

    rate, searched = root("site_rate", _input_path(scenario, threat) if threat else None)
    failover, _ = root("failover", failover_path(scenario, option))
    return [rate, _site_cost(result, option, threat, rate, searched, trials, metric, scale), failover]


def counted_scale(result: Appraisal) -> dict[str, float] | None:
    """The factor on the whole-site loss's cost of each event where ``result`` counts the charges, as simulate takes it."""
    found = charging.charge(result.simulation) if result.charges_counted else None
    return {found.threat: found.factor} if found is not None else None


def _site_cost(result: Appraisal, option: str, threat: str | None, rate: BreakEven, searched: dict | None,
               trials: int, metric: str, scale: dict[str, float] | None) -> BreakEven:
    """The cost of one whole-site loss at which ``option`` pays, from the rate's two end runs (module notes)."""
    if searched is None:
        return BreakEven(option, "site_cost", None, None, None, None, None, None, False, None)
    per_event = charging.cost_per_event(result.simulation, threat)

    def without_crossing(everywhere: bool) -> BreakEven:
        return BreakEven(option, "site_cost", threat, None, None, per_event, None, None, False, None, everywhere)

    lo, hi = searched["range"]
    line = _line(result.simulation.scenario, rate.input, option, lo, hi, trials, result.simulation.seed, metric, scale)
    if line is None:
        # More events do not help it: in one it loses as much as the baseline or more.
        npv_lo, npv_hi = searched["npv at range"]
        return without_crossing(npv_lo > 0 and npv_hi > 0)
    rate_star, rate_se = line
    factor = rate_star / rate.now
    if factor <= 0:  # it pays already, even if such an event cost nothing
        return without_crossing(True)
    now = per_event if per_event is not None else float("nan")
    return BreakEven(option, "site_cost", threat, factor * now, rate_se / rate.now * now, per_event, None, None,
                     True, True)


def _line(scenario: Scenario, path: str, option: str, lo: float, hi: float, trials: int, seed: int,
          metric: str, scale: dict[str, float] | None = None) -> tuple[float, float] | None:
    """Where the line NPV = a + bλ through runs at ``lo`` and ``hi`` of the rate ``path`` crosses zero, and its SE.

    Both runs keep their per-trial NPVs, so the delta method uses the paired slope's own
    variance and its covariance with the level (common random numbers make them small):
    λ* = lo − A/B with A the mean NPV at ``lo`` and B the mean per-trial slope. None when
    the slope is not positive (more events do not make the option pay more).
    """
    focused = scenario.with_only_options([option])
    runs = [simulate(focused, trials, seed=seed, keep_detail=True, overrides={path: Quantity(value=v)},
                     threat_scale=scale) for v in (lo, hi)]
    o = runs[0].options.index(option)
    field = "cash_npv" if metric == "cash_npv" else "npv"
    level = getattr(runs[0].detail, field)[o]
    slope = (getattr(runs[1].detail, field)[o] - level) / (hi - lo)
    a, b = float(level.mean()), float(slope.mean())
    if b <= 0:
        return None
    n = level.size
    var_a, var_b = level.var(ddof=1) / n, slope.var(ddof=1) / n
    cov = float(np.cov(level, slope, ddof=1)[0, 1]) / n
    var = var_a / b ** 2 + a ** 2 * var_b / b ** 4 - 2 * a * cov / b ** 3
    return lo - a / b, math.sqrt(max(var, 0.0))
