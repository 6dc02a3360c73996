"""What to recommend, and how sure the run is of it (DESIGN §9).

Three rules:

- within the risk tolerance, the option with the best mean NPV on the chosen basis of
  benefit ("cash", or "capacity": cash and the engineer time a programme frees);
- when no option is within, no option is recommended: the one that comes closest (the
  smallest worst breach, as a multiple of the accepted probability) is named, with the
  loss it would have to bring down to get within;
- when the best is the baseline, the answer is to keep today's posture, never an investment.

Every verdict the answer rests on is a :class:`Verdict` with its standard error: the
recommended option against the runner-up (a paired difference: both are priced on the
same futures, so the noise they share cancels), and each risk-tolerance probability it
uses (trials as observations, since a trial's years share its inputs). A verdict within
:data:`BORDERLINE_SE` standard errors of its threshold is borderline: the run cannot tell
pass from fail. :func:`conditions` are what adaptive precision
(:mod:`riskmodel.analysis.precision`) adds trials for.

Examples
--------
>>> from riskmodel import load, simulate
>>> d = decide(simulate(load("kakao-2022"), 2_000, seed=1), "capacity")  # doctest: +SKIP
>>> d.status, d.option, d.difference.state  # doctest: +SKIP
('invest', 'skills_programme', 'pass')
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from riskmodel.analysis import metrics
from riskmodel.engine.run import Simulation

#: A verdict closer than this many standard errors to its threshold is borderline.
BORDERLINE_SE = 2.0
#: Adaptive precision wants the recommended option ahead of the runner-up by this many standard errors.
CLEAR_LEAD_SE = 3.0

#: Decision statuses: an investment is recommended, today's posture is kept, or no option is within tolerance.
STATUSES = ("invest", "keep", "none_within")


@dataclasses.dataclass(frozen=True)
class Verdict:
    """An estimate against its threshold, with the estimate's standard error (in its unit).

    ``kind`` "tolerance": ``value`` is an option's simulated P(annual loss > ``loss``)
    [0–1], ``threshold`` the accepted probability; it passes at or below it.
    ``kind`` "lead": ``value`` is the mean paired NPV difference of ``option`` over
    ``against`` [currency], ``threshold`` 0; it passes above it.
    """

    kind: str
    option: str
    value: float
    threshold: float
    se: float
    loss: float | None = None  #: the tolerance point's loss [currency]
    against: str | None = None  #: the option a lead is measured against

    @property
    def passes(self) -> bool:
        """The point estimate's verdict."""
        return self.value <= self.threshold if self.kind == "tolerance" else self.value > self.threshold

    def clear(self, n_se: float = BORDERLINE_SE) -> bool:
        """Whether the estimate is more than ``n_se`` standard errors from its threshold."""
        return abs(self.value - self.threshold) > n_se * self.se

    @property
    def state(self) -> str:
        """"pass", "fail" or "borderline" (within :data:`BORDERLINE_SE` SE of the threshold)."""
        return "borderline" if not self.clear() else "pass" if self.passes else "fail"


@dataclasses.dataclass(frozen=True)
class Shortfall:
    """What the closest option would have to bring down to get within the risk tolerance."""

    option: str
    loss: float  #: the tolerance point it misses most: its loss [currency]
    acceptable_p: float  #: the probability accepted for that loss [0–1]
    simulated_p: float  #: the option's simulated probability of a year above ``loss`` [0–1]
    loss_at_acceptable: float  #: the annual loss the option exceeds with ``acceptable_p`` [currency]


@dataclasses.dataclass(frozen=True)
class Decision:
    """The answer of one run on one basis of benefit, and every verdict it rests on."""

    basis: str  #: "cash" or "capacity"
    status: str  #: one of :data:`STATUSES`
    option: str  #: the recommended option ("invest"), the baseline ("keep") or the closest ("none_within")
    npv: float  #: ``option``'s mean NPV against the baseline [currency]
    npv_se: float  #: its standard error [currency]
    runner_up: str | None  #: the next best mean NPV among the options within tolerance
    lead: Verdict | None  #: ``option`` against ``runner_up``, paired
    tolerance: tuple[Verdict, ...]  #: the tolerance verdicts the answer uses
    shortfall: Shortfall | None  #: with "none_within": what the closest option lacks
    studied: str  #: the option a sensitivity study of this answer varies (never the baseline if another exists)

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        return ((self.lead,) if self.lead is not None else ()) + self.tolerance

    @property
    def borderline(self) -> tuple[Verdict, ...]:
        """The verdicts the run cannot tell from their threshold."""
        return tuple(v for v in self.verdicts if v.state == "borderline")


def npv_estimates(sim: Simulation, basis: str) -> tuple[np.ndarray, np.ndarray]:
    """Per option, the mean NPV against the baseline and its standard error [currency]."""
    totals = sim.npv_totals(basis)
    mean = totals.npv_sum / sim.trials
    se = np.array([metrics.standard_error(m, q, sim.trials) for m, q in zip(mean, totals.npv_sq)])
    return mean, se


def lead(sim: Simulation, basis: str, option: str, against: str) -> Verdict:
    """``option``'s mean NPV over ``against``'s, paired on the same trials, with its standard error."""
    totals, names = sim.npv_totals(basis), sim.options
    i, j = names.index(option), names.index(against)
    diff = (totals.npv_sum[i] - totals.npv_sum[j]) / sim.trials
    se = metrics.standard_error(diff, totals.npv_diff_sq[i, j], sim.trials)
    return Verdict("lead", option, float(diff), 0.0, se, against=against)


def tolerance_verdicts(sim: Simulation) -> dict[str, tuple[Verdict, ...]]:
    """Per option, a verdict for each risk-tolerance point; empty without a tolerance.

    The standard error treats each trial as one observation of the share of its years
    above the loss. With no year above (or every year above) that is 0, which would call
    any verdict clear; the binomial SE of one such year (Laplace's rule) is taken instead.
    """
    tol = sim.scenario.risk_tolerance
    if not tol:
        return {o: () for o in sim.options}
    n = sim.trial_years
    out = {}
    for o, name in enumerate(sim.options):
        verdicts = []
        for j, (loss, p_ok) in enumerate(tol):
            count = int(sim.tolerance_exceed[o, j])
            p = count / n
            se = metrics.standard_error(p, sim.tolerance_trial_sq[o, j], sim.trials)
            if count in (0, n):
                smoothed = (count + 1) / (n + 2)
                se = max(se, math.sqrt(smoothed * (1 - smoothed) / n))
            verdicts.append(Verdict("tolerance", name, p, p_ok, se, loss=loss))
        out[name] = tuple(verdicts)
    return out


def _breach(verdicts: tuple[Verdict, ...]) -> float:
    """The worst breach of an option: the largest simulated / accepted probability (≤ 1 within)."""
    return max((v.value / v.threshold for v in verdicts), default=0.0)


def _shortfall(sim: Simulation, option: str, verdicts: tuple[Verdict, ...]) -> Shortfall:
    worst = max(verdicts, key=lambda v: v.value / v.threshold)
    hist = sim.loss_hist[sim.options.index(option)]
    return Shortfall(option=option, loss=float(worst.loss), acceptable_p=worst.threshold, simulated_p=worst.value,
                     loss_at_acceptable=metrics.quantile(hist, 1 - worst.threshold))


def decide(sim: Simulation, basis: str, losses: Simulation | None = None) -> Decision:
    """The recommendation of ``sim`` on ``basis`` ("cash" or "capacity"), by the rules of the module docstring.

    Parameters
    ----------
    sim : Simulation
        Whose NPVs rank the options.
    basis : {"cash", "capacity"}
        What counts as benefit: avoided loss less costs, or that and the engineer time
        (and leavers) a skills programme saves.
    losses : Simulation, optional
        Whose annual losses the risk tolerance is checked on (default ``sim``): the operating
        losses, where ``sim``'s NPVs also count the market's and the regulator's charges.

    Returns
    -------
    Decision
    """
    if basis not in ("cash", "capacity"):
        raise ValueError(f"basis: {basis!r} — must be 'cash' or 'capacity'")
    names, base = sim.options, sim.scenario.baseline.name
    npv, se = npv_estimates(sim, basis)
    by_option = dict(zip(names, npv))
    losses = losses or sim
    tol = tolerance_verdicts(losses)
    within = [o for o in names if all(v.passes for v in tol[o])]
    ranked = sorted(within, key=lambda o: -by_option[o])
    if not ranked:
        closest = min(names, key=lambda o: _breach(tol[o]))
        # The answer rests on every option's breach: each option's clearest one.
        used = tuple(max((v for v in tol[o] if not v.passes), key=lambda v: (v.value - v.threshold) / max(v.se, 1e-300))
                     for o in names)
        others = [o for o in names if o != base]
        studied = closest if closest != base or not others else min(others, key=lambda o: _breach(tol[o]))
        i = names.index(closest)
        return Decision(basis, "none_within", closest, float(npv[i]), float(se[i]), None, None, used,
                        _shortfall(losses, closest, tol[closest]), studied)
    best = ranked[0]
    runner_up = ranked[1] if len(ranked) > 1 else None
    # Options with a higher NPV were passed over for their breaches: those verdicts are used too.
    higher = [o for o in names if o not in within and by_option[o] > by_option[best]]
    used = tol[best] + tuple(max((v for v in tol[o] if not v.passes), key=lambda v: v.value / v.threshold)
                             for o in higher)
    status = "keep" if best == base else "invest"
    if status == "keep":
        alternatives = [o for o in names if o != base]
        studied = max(alternatives, key=lambda o: by_option[o]) if alternatives else base
    else:
        studied = best
    i = names.index(best)
    return Decision(basis, status, best, float(npv[i]), float(se[i]), runner_up,
                    lead(sim, basis, best, runner_up) if runner_up is not None else None, used, None, studied)


def conditions(decision: Decision, precision: float) -> dict[str, bool]:
    """Whether a run is precise enough for its answer (adaptive precision's three conditions).

    ``npv_precision``: the answer's NPV has SE ≤ ``precision`` × |NPV| (the baseline's NPV
    against itself is 0 exactly); ``lead_clear``: it leads the runner-up by more than
    :data:`CLEAR_LEAD_SE` SE (true with no runner-up); ``tolerance_clear``: every tolerance
    verdict used is more than :data:`BORDERLINE_SE` SE from its threshold.
    """
    return {
        "npv_precision": decision.npv_se <= precision * abs(decision.npv),
        "lead_clear": decision.lead is None or (decision.lead.passes and decision.lead.clear(CLEAR_LEAD_SE)),
        "tolerance_clear": all(v.clear() for v in decision.tolerance),
    }


def trials_wanted(decision: Decision, precision: float, trials: int) -> float:
    """The trials at which every unmet condition would just hold, as SEs shrink with 1/√trials [trials].

    Infinite when a condition cannot be met at any size (an NPV or a lead of exactly 0, a
    probability exactly at its threshold).
    """
    need = [float(trials)]
    met = conditions(decision, precision)

    def scaled(se: float, room: float) -> float:
        return trials * (se / room) ** 2 if room > 0 else math.inf

    if not met["npv_precision"]:
        need.append(scaled(decision.npv_se, precision * abs(decision.npv)))
    if not met["lead_clear"]:
        need.append(scaled(CLEAR_LEAD_SE * decision.lead.se, decision.lead.value))
    need += [scaled(BORDERLINE_SE * v.se, abs(v.value - v.threshold)) for v in decision.tolerance if not v.clear()]
    return max(need)
