"""Counting what the market and the regulator charge in the NPV, when a scenario says ``beyond_pnl: include: true``.

Per option, the charges are the option's baseline-equivalent whole-site losses (its loss
from the whole-site-loss threat over what one such event costs the baseline now) × (market
value × reaction share + regulatory cost) (:mod:`riskmodel.analysis.beyond_pnl`). That is
the threat's cost scaled by ``1 + k``, with k = (market value × reaction + regulatory cost)
/ the cost of one event now, so counting them is a second run of the same futures with
that factor on the threat's events (``simulate(..., threat_scale=…)``): every trial's NPV
then holds its own charges, and the decision's standard errors stay paired. The factor is
fixed at the inputs' means and at the first run's cost of one event, so the charges carry
no uncertainty of their own beyond the run's.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from riskmodel.analysis.recovery import whole_site_loss
from riskmodel.engine.run import Simulation, simulate
from riskmodel.models.threats import annual_rate


@dataclasses.dataclass(frozen=True)
class Charge:
    """What one whole-site loss adds on top of its operating cost, as the second run counts it."""

    threat: str  #: the whole-site-loss threat, by name
    per_event: float  #: the baseline's operating cost of one such event now [currency]
    charge: float  #: the market's and the regulator's charge per baseline-equivalent event [currency]

    @property
    def factor(self) -> float:
        """The factor on the threat's cost of each event [×]: 1 + charge / per_event."""
        return 1.0 + self.charge / self.per_event


def cost_per_event(sim: Simulation, threat: str) -> float | None:
    """What one event of ``threat`` costs the baseline now [currency]: its ALE over its mean rate of events.

    None when the threat has no events at its mean rate or costs nothing.
    """
    scenario = sim.scenario
    t = next(x for x in scenario.threats if x.name == threat)
    form, frequency = t.frequency
    events = float(annual_rate(form, np.asarray(frequency.mean())))  # at the mean, as the card's ``now`` is
    sites = 1 if t.sites else len(scenario.sites)  # without `sites`, each site is struck at the rate
    k = [i for i, x in enumerate(sim.plan.threats) if x.name == threat]
    ale = float(sim.threat_loss_sum[sim.plan.baseline, k].sum()) / sim.trial_years
    return ale / (events * sites) if events and ale > 0 else None


def charge(sim: Simulation) -> Charge | None:
    """The charge per whole-site loss of ``sim``'s scenario; None without ``beyond_pnl``, a site threat or its cost."""
    given = sim.scenario.beyond_pnl
    threat = whole_site_loss(sim.scenario)
    per_event = cost_per_event(sim, threat) if given is not None and threat else None
    if not per_event:
        return None
    return Charge(threat, per_event, given.market_value.mean() * given.market_reaction.mean()
                  + given.regulatory_cost.mean())


def counted(sim: Simulation) -> Simulation | None:
    """``sim`` run again on the same futures with the charges in every loss, where the scenario includes them.

    None when the scenario does not say ``beyond_pnl: include: true`` (or has no charge to count).

    Examples
    --------
    >>> from riskmodel import load, simulate  # doctest: +SKIP
    >>> counted(simulate(load("kakao-2022"), 2_000)) is None  # kakao-2022 shows them apart  # doctest: +SKIP
    True
    """
    given = sim.scenario.beyond_pnl
    found = charge(sim) if given is not None and given.include else None
    if found is None:
        return None
    return simulate(sim.scenario, sim.trials, sim.horizon_years, sim.seed, threat_scale={found.threat: found.factor})
