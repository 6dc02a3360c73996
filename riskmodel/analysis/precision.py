"""Adaptive precision: as many trials as the answer needs, and no guess (DESIGN §9).

``simulate(scenario, precision=0.01)`` starts with :data:`FIRST_TRIALS` trials and adds
whole seed blocks until the recommendation is settled — the recommended option's NPV has
SE ≤ 1 % of its value, it leads the runner-up by 3 SE, and every tolerance verdict it
uses is 2 SE clear (:func:`riskmodel.analysis.decision.conditions`) — or the cap is
reached, and :func:`status` then says which condition is unmet. Each stage asks for the
trials the SEs project (they shrink as 1/√trials), at most :data:`GROWTH` times the trials
so far, so a misjudged first estimate costs at most one stage. The result equals a fixed
run of the trials it ended with, bit for bit.
"""

from __future__ import annotations

import dataclasses
import math

from riskmodel.analysis.decision import conditions, decide, trials_wanted
from riskmodel.engine import run
from riskmodel.engine.run import Simulation
from riskmodel.scenario import Scenario

#: The precision the app and ``riskmodel run --precision`` default to: SE ≤ 1 % of the recommended NPV.
DEFAULT_PRECISION = 0.01
#: Trials before the first look [trials].
FIRST_TRIALS = 2_000
#: The most trials an adaptive run takes unless told [trials]: kakao-2022 runs ~200k in some 40 s of one core.
DEFAULT_MAX_TRIALS = 200_000
#: The most one stage multiplies the trials by.
GROWTH = 4.0
#: Stages ask for this much more than the projection, so that noise in the SEs does not cost a stage.
MARGIN = 1.15


@dataclasses.dataclass(frozen=True)
class Precision:
    """How an adaptive run ended: the target, the trials used, and the conditions met."""

    target: float  #: the precision asked for: SE / |NPV| of the recommended option [1]
    trials: int  #: the trials used [trials]
    max_trials: int  #: the cap [trials]
    met: dict[str, bool]  #: :func:`riskmodel.analysis.decision.conditions`
    achieved: float  #: SE / |NPV| of the recommended option reached [1] (0 when it is the baseline)

    @property
    def settled(self) -> bool:
        return all(self.met.values())

    @property
    def unmet(self) -> list[str]:
        return [name for name, ok in self.met.items() if not ok]


def simulate(scenario: Scenario, trials: int | None = None, horizon_years: int | None = None,
             seed: int = 20221015, *, precision: float | None = None, basis: str | None = None,
             max_trials: int | None = None, **options) -> Simulation:
    """:func:`riskmodel.engine.run.simulate`, or with ``precision`` an adaptive run.

    Parameters
    ----------
    scenario, horizon_years, seed, **options
        As :func:`riskmodel.engine.run.simulate`.
    trials : int, optional
        The trials of a fixed run (default 10,000), or the first stage of an adaptive
        one (default :data:`FIRST_TRIALS`) [trials].
    precision : float, optional
        Aim for SE ≤ ``precision`` × |NPV| of the recommended option [1], e.g. 0.01.
    basis : {"cash", "capacity"}, optional
        The basis of benefit the recommendation uses; default the scenario's.
    max_trials : int, optional
        The cap of an adaptive run [trials]; default :data:`DEFAULT_MAX_TRIALS`.

    Examples
    --------
    >>> from riskmodel import load, simulate
    >>> sim = simulate(load("kakao-2022"), precision=0.01)  # doctest: +SKIP
    >>> status(sim).settled, sim.trials  # doctest: +SKIP
    (True, 16000)
    """
    if precision is None:
        return run.simulate(scenario, 10_000 if trials is None else trials, horizon_years, seed, **options)
    if not (isinstance(precision, (int, float)) and 0 < precision < 1):
        raise ValueError(f"precision: {precision!r} — must be a fraction between 0 and 1, e.g. 0.01 for 1 %")
    basis = basis or scenario.finance.benefit_basis
    cap = DEFAULT_MAX_TRIALS if max_trials is None else max_trials
    first = min(FIRST_TRIALS if trials is None else trials, cap)

    def more(sim: Simulation) -> int:
        wanted = trials_wanted(decide(sim, basis), precision, sim.trials)
        if wanted <= sim.trials:
            return 0
        return math.ceil(min(wanted * MARGIN, GROWTH * sim.trials) - sim.trials)

    sim = run.simulate(scenario, first, horizon_years, seed, more=more, max_trials=cap, **options)
    return dataclasses.replace(sim, precision=float(precision), max_trials=int(cap), basis=basis)


def status(sim: Simulation, basis: str | None = None) -> Precision | None:
    """How precise the run of ``sim`` is for its answer, against the precision it aimed at; None for a fixed run."""
    if sim.precision is None:
        return None
    decision = decide(sim, basis or sim.basis or sim.scenario.finance.benefit_basis)
    achieved = decision.npv_se / abs(decision.npv) if decision.npv else 0.0
    return Precision(target=sim.precision, trials=sim.trials, max_trials=sim.max_trials,
                     met=conditions(decision, sim.precision), achieved=achieved)
