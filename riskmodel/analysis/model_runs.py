"""Model runs of one scenario on the same simulated futures, the unit of every sensitivity analysis.

An input is changed through ``simulate(..., overrides=...)``, which keeps every other
input's draws as they were (common random numbers), so differences between runs are the
input's effect and not noise. Runs go to this process or to any executor, with the same
results. Metrics are ``"npv"`` (mean NPV of an option against the baseline, cash and freed
capacity [currency]), ``"cash_npv"`` (the same on the cash basis [currency]) or ``"ale"``
(expected annual loss of an option [currency/yr]).
"""

from __future__ import annotations

import functools

import numpy as np

from riskmodel.analysis import metrics
from riskmodel.distributions import Quantity
from riskmodel.engine.plan import compile_plan
from riskmodel.engine.run import Simulation, engine_for, simulate
from riskmodel.inputs import epistemic_inputs
from riskmodel.scenario import Scenario, loads

METRICS = ("npv", "cash_npv", "ale")


def metric_of(sim: Simulation, metric: str, option: str) -> tuple[float, float]:
    """(value, standard error) of ``metric`` for ``option`` in a simulation.

    ``npv``: mean NPV against the baseline, cash and freed capacity [currency];
    ``cash_npv``: the same on the cash basis [currency]; ``ale``: expected annual loss
    [currency/yr].
    """
    if metric not in METRICS:
        raise ValueError(f"metric: {metric!r} is not one of {', '.join(METRICS)}")
    if option not in sim.options:
        raise ValueError(f"option: {option!r} is not an option of this scenario ({', '.join(sim.options)})")
    o = sim.options.index(option)
    if metric == "npv":
        mean = sim.npv_sum[o] / sim.trials
        return float(mean), metrics.standard_error(mean, sim.npv_sq[o], sim.trials)
    if metric == "cash_npv":
        mean = sim.cash_npv_sum[o] / sim.trials
        return float(mean), metrics.standard_error(mean, sim.cash_npv_sq[o], sim.trials)
    mean = sim.loss_sum[o] / sim.trial_years
    return float(mean), metrics.standard_error(mean, sim.trial_loss_sq[o], sim.trials)


def run_metric(scenario: Scenario, trials: int, seed: int, metric: str, option: str,
         overrides: dict[str, Quantity] | None, threat_scale: dict[str, float] | None = None) -> tuple[float, float]:
    """One model run's metric: the unit of work handed to an executor (module level, so it pickles)."""
    return metric_of(simulate(scenario, trials, seed=seed, overrides=overrides, threat_scale=threat_scale), metric,
                     option)


def engine_for_runs(scenario: Scenario, trials: int) -> str:
    """The core every run of an analysis takes, chosen once for their ``trials`` in all [trials].

    Runs compared with one another must round alike (the compiled core and numpy differ in
    the last bits), and together they repay loading the compiled core long before one would.
    """
    return engine_for(compile_plan(scenario, scenario.finance.horizon_years), trials)


def run_trials(scenario: Scenario, first: int, trials: int, seed: int, metric: str, option: str,
               overrides: dict[str, Quantity] | None, engine: str = "auto") -> tuple[float, np.ndarray]:
    """One model run's metric [its unit] and each trial's value of it (for paired standard errors),
    over the seed's futures ``first`` … ``first + trials − 1``."""
    sim = simulate(scenario, trials, seed=seed, overrides=overrides, keep_trials=True, first_trial=first,
                   engine=engine)
    value = metric_of(sim, metric, option)[0]  # checks the metric and the option
    field = {"npv": "npv", "cash_npv": "cash_npv", "ale": "loss"}[metric]
    return value, getattr(sim.per_trial, field)[sim.options.index(option)]


@functools.lru_cache(maxsize=4)
def _parsed(text: str) -> Scenario:
    return loads(text)


def _run_text(text: str, first: int, trials: int, seed: int, metric: str, option: str,
              overrides: dict[str, Quantity] | None, engine: str) -> tuple[float, np.ndarray]:
    return run_trials(_parsed(text), first, trials, seed, metric, option, overrides, engine)


def run_many(executor, scenario: Scenario, seed: int, metric: str, option: str,
         runs: list[tuple[int, int, dict[str, Quantity] | None]], engine: str = "auto"
         ) -> list[tuple[float, np.ndarray]]:
    """Run several (first trial, trials, override set), in this process or on ``executor`` (local
    processes or a Dask cluster's ``client.get_executor()``). Each run is the same computation
    wherever it runs, so the results are bit-identical either way.

    Runs travel with the scenario as YAML text (it round-trips exactly): a string is cheap to
    send and for Dask to hash into a task key, and each worker parses it once.
    """
    if executor is None:
        return [run_trials(scenario, first, n, seed, metric, option, o, engine) for first, n, o in runs]
    text = scenario.to_yaml()
    futures = [executor.submit(_run_text, text, first, n, seed, metric, option, o, engine) for first, n, o in runs]
    return [f.result() for f in futures]


def focused_on(scenario: Scenario, option: str) -> tuple[Scenario, dict[str, Quantity]]:
    """The scenario cut to the baseline and ``option``, and its epistemic inputs.

    The option's results are the same as in the full scenario (the engine keys every
    draw by identity), at a fraction of the run time; inputs that only other options
    use cannot move its metric, so they need no run.
    """
    if option not in [o.name for o in scenario.options]:
        raise ValueError(f"option: {option!r} is not an option of this scenario "
                         f"({', '.join(o.name for o in scenario.options)})")
    focused = scenario.with_only_options([option])
    return focused, epistemic_inputs(focused)


def default_option(scenario: Scenario, metric: str) -> str:
    # NPV is measured against the baseline, so the baseline's is 0: take the first other option.
    others = [o.name for o in scenario.options if not o.baseline]
    return scenario.baseline.name if metric == "ale" or not others else others[0]
