"""Everything a business case shows, computed once: ``business_case(appraise(simulate(load(path))))``.

A report, a download or a page renders a :class:`BusinessCase`; none of them simulates.
Besides the appraisal itself, a business case holds the two analyses that need runs of
their own: the first skills programme on every architecture (each option run again with
the programme, on the same futures), and the sensitivity of the option it argues for
(a tornado of its NPV and the expected value of perfect information, DESIGN §10).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pandas as pd

from riskmodel.analysis import backtest, breakeven, recovery, sensitivity, tornado
from riskmodel.analysis.appraisal import Appraisal, appraise, programme_table
from riskmodel.engine.run import simulate
from riskmodel.models import skills
from riskmodel.scenario import SkillsProgramme

#: Futures per run of the tornado: it makes two runs per input, so it takes fewer than the case itself.
TORNADO_TRIALS = 2_000
#: Inputs the tornado varies (the most influential, by a screening run).
TORNADO_INPUTS = 8


@dataclasses.dataclass(frozen=True)
class ProgrammeCase:
    """A skills programme added to every architecture, against the same architectures without it."""

    name: str
    combined: Appraisal  #: every option of the scenario, and each again with the programme
    pairs: pd.DataFrame  #: :func:`riskmodel.analysis.appraisal.programme_table` of ``combined``
    freed: pd.DataFrame  #: :func:`freed_capacity`: engineer time freed year by year
    active_active: str | None  #: the option running active-active everywhere, if the scenario has one


@dataclasses.dataclass(frozen=True)
class SensitivityCase:
    """What decides the answer for the option the case argues for."""

    option: str  #: the recommended option, or the best mean NPV when the baseline is recommended
    trials: int  #: futures per tornado run [trials]
    tornado: pd.DataFrame  #: :func:`riskmodel.analysis.tornado.tornado` of that option's NPV [currency]
    evpi: float  #: expected value of perfect information over every option [currency]


@dataclasses.dataclass(frozen=True)
class Evidence:
    """How the model's recovery compares with what happened, for the method section."""

    trials: int  #: futures per run [trials]
    ladder: pd.DataFrame | None  #: :func:`recovery.ladder` on the whole-site loss; None without a site threat
    restoration: pd.DataFrame | None  #: :func:`recovery.against_record` where the scenario models the 2022 fire
    backtest: pd.DataFrame  #: :func:`backtest.backtest`: public outages, model cost against published cost


#: Futures per run of the evidence: one fixed event per run, so few trials give small SEs.
EVIDENCE_TRIALS = 2_000


def evidence(result: Appraisal, trials: int = EVIDENCE_TRIALS) -> Evidence:
    """The ladder, the recorded fire service by service (where it applies) and the back-tests, on ``result``'s seed."""
    scenario, seed = result.simulation.scenario, result.simulation.seed
    threat = recovery.whole_site_loss(scenario)
    recorded = recovery.recorded_for(scenario)
    return Evidence(
        trials=trials,
        ladder=recovery.ladder(scenario, threat, trials=trials, seed=seed) if threat else None,
        restoration=recovery.against_record(scenario, recovery.KAKAO_THREAT, recovery.KAKAO_HOURS, recorded, trials,
                                            seed) if recorded is not None else None,
        backtest=backtest.backtest(trials, seed))


@dataclasses.dataclass(frozen=True)
class BusinessCase:
    """An appraisal with everything its report shows."""

    appraisal: Appraisal
    programme: ProgrammeCase | None  #: None when the scenario has no skills programme
    sensitivity: SensitivityCase
    #: What would have to be true for each option but the baseline to pay (:func:`breakeven.card`)
    conditions: dict[str, list[breakeven.BreakEven]] = dataclasses.field(default_factory=dict)
    evidence: Evidence | None = None  #: the model beside what happened (:func:`evidence`)


#: Futures per run of a break-even search [trials]: each condition takes some ten runs.
CONDITION_TRIALS = 5_000


def freed_capacity(programme: SkillsProgramme, horizon: int) -> pd.DataFrame:
    """Freed engineer capacity year by year at the programme's expected inputs.

    Columns ``toil_share`` [0–1], ``freed_hours`` [h/yr] and ``freed_value``
    [currency/yr], indexed by year 1…``horizon`` (:func:`riskmodel.models.skills.freed_capacity_table`).
    """
    return skills.freed_capacity_table(
        programme.engineers, programme.loaded_cost_per_engineer.mean(), programme.toil_share_now.mean(),
        programme.toil_share_target.mean(), programme.ramp_years, programme.value_of_freed_hour_multiplier.mean(),
        horizon)


def _programme(result: Appraisal) -> ProgrammeCase | None:
    sim = result.simulation
    scenario = sim.scenario
    if not scenario.skills_programmes:
        return None
    programme = scenario.skills_programmes[0]
    combined = appraise(simulate(scenario.with_programme_options(programme.name), trials=sim.trials,
                                 horizon_years=sim.horizon_years, seed=sim.seed))
    return ProgrammeCase(name=programme.name, combined=combined, pairs=programme_table(combined, programme.name),
                         freed=freed_capacity(programme, sim.horizon_years),
                         active_active=scenario.uniform_option("active_active"))


def _sensitivity(result: Appraisal, trials: int, inputs: int,
                 progress: Callable[[int, int], None] | None) -> SensitivityCase:
    sim = result.simulation
    option = result.argued_for
    trials = min(sim.trials, trials)
    table = tornado.tornado(sim.scenario, "npv", option, trials, sim.seed, top=inputs, progress=progress)
    return SensitivityCase(option=option, trials=trials, tornado=table, evpi=sensitivity.evpi(sim))


def business_case(result: Appraisal, *, tornado_trials: int = TORNADO_TRIALS, tornado_inputs: int = TORNADO_INPUTS,
                  progress: Callable[[int, int], None] | None = None) -> BusinessCase:
    """The appraisal ``result`` with the programme and sensitivity analyses its report shows.

    Parameters
    ----------
    result : Appraisal
    tornado_trials : int
        Futures per tornado run, at most the appraisal's own [trials].
    tornado_inputs : int
        Inputs the tornado varies.
    progress : callable, optional
        Called by the tornado's runs as ``progress(done, total)``; it may raise to stop.

    Examples
    --------
    >>> from riskmodel import load, simulate, appraise
    >>> from riskmodel.analysis.business_case import business_case
    >>> case = business_case(appraise(simulate(load("kakao-2022"), 2_000)))  # doctest: +SKIP
    >>> case.sensitivity.tornado.index[0]  # doctest: +SKIP
    """
    trials = min(result.simulation.trials, CONDITION_TRIALS)
    conditions = {o.name: breakeven.card(result, o.name, trials)
                  for o in result.simulation.scenario.options if not o.baseline}
    return BusinessCase(appraisal=result, programme=_programme(result),
                        sensitivity=_sensitivity(result, tornado_trials, tornado_inputs, progress),
                        conditions=conditions, evidence=evidence(result))
