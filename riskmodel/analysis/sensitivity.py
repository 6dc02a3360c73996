"""Sensitivity and decision analysis (DESIGN §10): which assumptions decide the answer.

Every analysis here is a set of model runs on the same simulated futures (common random
numbers): an input is changed through ``simulate(..., overrides=...)``, which keeps every
other input's draws as they were, so differences between runs are the input's effect and
not noise.

* :func:`tornado` — each epistemic input at its 10th and 90th percentile in turn;
* :func:`break_even` — the value of one input at which an option's mean NPV crosses zero;
* :func:`evpi` — what resolving all uncertainty before deciding would be worth;
* :func:`partial_evpi` — the same for one input at a time (binned estimator);
* :func:`sobol` — first- and total-order Sobol indices through SALib, for analysts.

Metrics are ``"npv"`` (mean NPV of an option against the baseline [currency]) or ``"ale"``
(expected annual loss of an option [currency/yr]).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import optimize

from riskmodel.analysis import metrics
from riskmodel.distributions import Quantity
from riskmodel.engine.run import Simulation, simulate
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


def _run(scenario: Scenario, trials: int, seed: int, metric: str, option: str,
         overrides: dict[str, Quantity] | None, threat_scale: dict[str, float] | None = None) -> tuple[float, float]:
    """One model run's metric: the unit of work handed to an executor (module level, so it pickles)."""
    return metric_of(simulate(scenario, trials, seed=seed, overrides=overrides, threat_scale=threat_scale), metric,
                     option)


@functools.lru_cache(maxsize=4)
def _parsed(text: str) -> Scenario:
    return loads(text)


def _run_text(text: str, trials: int, seed: int, metric: str, option: str,
              overrides: dict[str, Quantity] | None) -> tuple[float, float]:
    return _run(_parsed(text), trials, seed, metric, option, overrides)


def _map(executor, scenario: Scenario, trials: int, seed: int, metric: str, option: str,
         overrides: list[dict[str, Quantity] | None]) -> list[tuple[float, float]]:
    """Run several override sets, in this process or on ``executor`` (local processes or a Dask
    cluster's ``client.get_executor()``). Each run is the same computation wherever it runs,
    so the results are bit-identical either way.

    Runs travel with the scenario as YAML text (it round-trips exactly): a string is cheap to
    send and for Dask to hash into a task key, and each worker parses it once.
    """
    if executor is None:
        return [_run(scenario, trials, seed, metric, option, o) for o in overrides]
    text = scenario.to_yaml()
    futures = [executor.submit(_run_text, text, trials, seed, metric, option, o) for o in overrides]
    return [f.result() for f in futures]


def _focused(scenario: Scenario, option: str) -> tuple[Scenario, dict[str, Quantity]]:
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


def _default_option(scenario: Scenario, metric: str) -> str:
    # NPV is measured against the baseline, so the baseline's is 0: take the first other option.
    others = [o.name for o in scenario.options if not o.baseline]
    return scenario.baseline.name if metric == "ale" or not others else others[0]


def screen(scenario: Scenario, metric: str = "npv", option: str | None = None, trials: int = 10_000,
           seed: int = 20221015, low: float = 0.1, high: float = 0.9,
           progress: Callable[[int, int], None] | None = None) -> pd.Series:
    """A first guess at each uncertain input's swing, from one run [currency or currency/yr].

    Least squares of the per-trial metric on every uncertain input (one run with
    per-trial detail), times the input's ``high`` − ``low`` percentile range: the swing a
    linear model would give. Used to pick the inputs worth a one-at-a-time tornado run;
    not a substitute for it (interactions and curvature are ignored). ``progress`` is
    handed to :func:`riskmodel.engine.run` (called after each chunk; it may raise to stop).
    """
    if metric not in METRICS:  # before the run, not after it
        raise ValueError(f"metric: {metric!r} is not one of {', '.join(METRICS)}")
    option = option or _default_option(scenario, metric)
    sim = simulate(_focused(scenario, option)[0], trials, seed=seed, keep_detail=True, progress=progress)
    o = sim.options.index(option)
    y = sim.detail.npv[o] if metric == "npv" else sim.detail.loss[o].mean(axis=1)
    x = sim.detail.params
    plan = sim.plan
    if x.shape[1] == 0:
        return pd.Series(dtype=float, name="screened swing")
    scale = x.std(axis=0)
    usable = scale > 0
    design = np.column_stack([np.ones(len(y)), (x[:, usable] - x[:, usable].mean(axis=0)) / scale[usable]])
    beta = np.linalg.lstsq(design, y, rcond=None)[0][1:]
    swings = np.zeros(x.shape[1])
    ranges = np.array([plan.quantities[j].quantile(high) - plan.quantities[j].quantile(low) for j in plan.random_cols])
    swings[usable] = np.abs(beta / scale[usable] * ranges[usable])
    return pd.Series(swings, index=[plan.paths[j] for j in plan.random_cols], name="screened swing") \
        .sort_values(ascending=False)


def tornado(scenario: Scenario, metric: str = "npv", option: str | None = None, trials: int = 10_000,
            seed: int = 20221015, inputs: list[str] | None = None, low: float = 0.1, high: float = 0.9,
            executor=None, top: int | None = None, progress: Callable[[int, int], None] | None = None
            ) -> pd.DataFrame:
    """Each epistemic input at its ``low`` and ``high`` percentile in turn, the others as drawn.

    Parameters
    ----------
    scenario : Scenario
    metric : {"npv", "ale"}
    option : str, optional
        The option whose metric is reported (default: the first non-baseline option for
        NPV, the baseline for ALE).
    trials, seed : int
        Simulated futures per run and the seed shared by every run.
    inputs : list of str, optional
        Input paths to vary (default: every epistemic input given as a distribution).
    low, high : float
        Percentiles [0–1].
    executor : concurrent.futures.Executor, optional
        Where the runs go (local processes, or a Dask cluster via ``client.get_executor()``);
        the results are bit-identical to running them here.
    top : int, optional
        Vary only the ``top`` inputs that :func:`screen` ranks first (two runs per input
        add up: 60 inputs are 121 runs; the top 10 are 22 runs after one screening run).
    progress : callable, optional
        Handed to :func:`screen`'s run (called after each chunk; it may raise to stop).

    Returns
    -------
    pandas.DataFrame
        One row per input, sorted by swing (largest first): ``input_low``,
        ``input_high`` [the input's unit], ``metric_low``, ``metric_high``,
        ``swing`` (|high − low|) [currency or currency/yr], and ``base`` (the metric with
        every input as drawn).

    Examples
    --------
    >>> from riskmodel import load
    >>> tornado(load("data/scenarios/kakao-2022.yaml"), trials=2_000).head(3)  # doctest: +SKIP
    """
    option = option or _default_option(scenario, metric)
    candidates = epistemic_inputs(scenario)
    paths = inputs if inputs is not None else [p for p, q in candidates.items() if not q.is_fixed]
    unknown = [p for p in paths if p not in candidates]
    if unknown:
        raise ValueError(f"inputs: {unknown} are not epistemic inputs of this scenario")
    if top is not None:
        ranked = screen(scenario, metric, option, trials, seed, low, high, progress)
        paths = [p for p in ranked.index if p in paths][:top]
    focused, moving = _focused(scenario, option)
    ends = [(candidates[p].quantile(low), candidates[p].quantile(high)) for p in paths]
    runs = [None] + [{p: Quantity(value=v)} for p, pair in zip(paths, ends) for v in pair if p in moving]
    results = iter(value for value, _ in _map(executor, focused, trials, seed, metric, option, runs))
    base = next(results)
    rows = []
    for path, values in zip(paths, ends):
        at_low, at_high = (next(results), next(results)) if path in moving else (base, base)
        rows.append({"input": path, "input_low": values[0], "input_high": values[1],
                     "metric_low": at_low, "metric_high": at_high, "swing": abs(at_high - at_low),
                     "base": base})
    table = pd.DataFrame(rows, columns=["input", "input_low", "input_high", "metric_low",
                                        "metric_high", "swing", "base"])
    return table.set_index("input").sort_values("swing", ascending=False)


def break_even(scenario: Scenario, path: str, option: str, trials: int = 10_000, seed: int = 20221015,
               low: float = 0.01, high: float = 0.99, metric: str = "npv",
               threat_scale: dict[str, float] | None = None) -> dict:
    """The value of input ``path`` at which ``option``'s mean NPV crosses zero.

    The search runs over the input's plausible range, its ``low`` to ``high`` percentile
    (a fixed input: a tenth to ten times its value), by Brent's method on the mean NPV
    (``metric``: ``npv`` with freed capacity, or ``cash_npv``), each evaluation a run on
    the same simulated futures (with ``threat_scale``, as :func:`riskmodel.engine.run.simulate`
    takes it: the charges an appraisal counts).

    Returns
    -------
    dict
        ``value`` (the break-even value [the input's unit], or None when the NPV keeps
        one sign over the range), ``se`` (its standard error by the delta method: the
        mean NPV's SE at the crossing over the slope there), ``range`` (the percentiles'
        values), ``npv at range`` and ``se at range`` [currency] and ``crosses`` (bool).
    """
    candidates = epistemic_inputs(scenario)
    if path not in candidates:
        raise ValueError(f"path: {path!r} is not an epistemic input of this scenario")
    q = candidates[path]
    lo, hi = (q.quantile(low), q.quantile(high)) if not q.is_fixed else (q.value * 0.1, q.value * 10)

    focused, moving = _focused(scenario, option)

    def run(value: float) -> tuple[float, float]:
        return _run(focused, trials, seed, metric, option, {path: Quantity(value=value)} if path in moving else None,
                    threat_scale)

    def npv(value: float) -> float:
        return run(value)[0]

    at_lo, at_hi = run(lo), run(hi)
    ends = (at_lo[0], at_hi[0])
    result = {"input": path, "option": option, "range": (lo, hi), "npv at range": ends,
              "se at range": (at_lo[1], at_hi[1]), "crosses": False, "value": None, "se": None}
    flat = ends[0] == ends[1]  # the input does not move this option's NPV (an option that does not use it)
    if not flat and (ends[0] == 0 or ends[1] == 0 or (ends[0] < 0) != (ends[1] < 0)):
        value = float(optimize.brentq(npv, lo, hi, xtol=1e-6 * max(abs(lo), abs(hi), 1e-12)))
        # The slope over a tenth of the range, centred where it can be: the mean NPV is a step
        # function of an input that sets event counts, so a narrower step would read one stair.
        step = 0.05 * (hi - lo)
        a, b = max(lo, value - step), min(hi, value + step)
        slope = (npv(b) - npv(a)) / (b - a) if b > a else 0.0
        result.update(value=value, crosses=True,
                      se=abs(run(value)[1] / slope) if slope else None)
    return result


def evpi(sim: Simulation) -> float:
    """Expected value of perfect information [currency]: E[max_j NPV_j] − max_j E[NPV_j].

    From the per-trial NPVs of every option (the baseline's is 0): what it would be worth
    to know, before choosing, which future is coming.
    """
    best_each = sim.best_npv_sum / sim.trials
    best_mean = max(float(np.max(sim.npv_sum / sim.trials)), 0.0)
    return max(float(np.sum(best_each)) - best_mean, 0.0)


def partial_evpi(sim: Simulation, bins: int = 50) -> pd.Series:
    """Expected value of perfect information about each uncertain input alone [currency].

    Binned estimator: trials are grouped by quantiles of the input, and EVPPI =
    mean over bins of max_j (bin mean NPV_j) − max_j E[NPV_j]. It needs per-trial detail
    (``simulate(..., keep_detail=True)``) and some 5,000 trials or more: coarse bins
    understate the value (what varies within a bin is lost; 20 bins lost 11 % in a test
    where 50 lost 0.3 %), and too few trials per bin overstate it (noise looks like
    information).
    """
    detail = sim.detail
    if detail is None:
        raise ValueError("partial_evpi needs simulate(..., keep_detail=True)")
    npv = detail.npv  # (options, trials)
    best_mean = max(float(npv.mean(axis=1).max()), 0.0)
    plan = sim.plan
    out = {}
    for k, j in enumerate(plan.random_cols):
        x = detail.params[:, k]
        edges = np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1])
        group = np.searchsorted(edges, x, side="right")
        counts = np.bincount(group, minlength=bins)
        means = np.stack([np.bincount(group, weights=row, minlength=bins) for row in npv]) / np.maximum(counts, 1)
        value = float((means.max(axis=0) * counts).sum() / counts.sum()) - best_mean
        out[plan.paths[j]] = max(value, 0.0)
    return pd.Series(out, name="partial EVPI").sort_values(ascending=False)


def sobol_indices(names: list[str], evaluate, n: int = 64, seed: int = 20221015) -> pd.DataFrame:
    """Sobol first- and total-order indices of ``evaluate`` over independent uniform inputs.

    SALib's Saltelli scheme: ``n`` · (len(names) + 2) points of a scrambled Sobol sequence on
    [0, 1]^D are passed to ``evaluate`` (an array (points, D) → outputs (points,)), and
    :func:`SALib.analyze.sobol.analyze` estimates the indices with bootstrap 95 %
    confidence half-widths. ``n`` should be a power of 2.

    Returns
    -------
    pandas.DataFrame
        Indexed by name: ``S1``, ``S1 conf``, ``ST``, ``ST conf`` [–].
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    u = sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = np.asarray(evaluate(u), dtype=float)
    result = analyze.analyze(problem, y, calc_second_order=False, seed=seed)
    return pd.DataFrame({"S1": result["S1"], "S1 conf": result["S1_conf"], "ST": result["ST"],
                         "ST conf": result["ST_conf"]}, index=pd.Index(list(names), name="input"))


def sobol(scenario: Scenario, metric: str = "npv", option: str | None = None, inputs: list[str] | None = None,
          n: int = 64, trials: int = 500, seed: int = 20221015, executor=None, top: int = 5) -> pd.DataFrame:
    """Sobol indices of an option's metric over uncertain inputs (default: the ``top`` a screening run ranks).

    Each Saltelli point sets the chosen inputs to the quantiles its coordinates give
    (the inputs' own distributions) and runs the model on ``trials`` simulated futures,
    the same futures for every point; the metric is the mean over them. The other inputs
    stay as drawn, so their variation is averaged out within each run. Costs
    ``n`` · (inputs + 2) runs.
    """
    option = option or _default_option(scenario, metric)
    candidates = epistemic_inputs(scenario)
    paths = inputs if inputs is not None else list(screen(scenario, metric, option, trials, seed).index[:top])
    unknown = [p for p in paths if p not in candidates]
    if unknown:
        raise ValueError(f"inputs: {unknown} are not epistemic inputs of this scenario")
    eps = 1e-6  # the sequence reaches 0; keep quantiles finite

    focused, moving = _focused(scenario, option)

    def evaluate(u: np.ndarray) -> np.ndarray:
        overrides = [{p: Quantity(value=float(candidates[p].ppf(np.array([min(max(x, eps), 1 - eps)]))[0]))
                      for p, x in zip(paths, row) if p in moving} for row in u]
        return np.array([value for value, _ in _map(executor, focused, trials, seed, metric, option, overrides)])

    return sobol_indices(paths, evaluate, n, seed)
