"""The tornado (DESIGN §10): each uncertain input at its 10th and 90th percentile in turn.

* :func:`screen` — a first guess at every input's swing from one run (least squares);
* :func:`tornado` — each input's two runs on the same futures, with the swing's paired
  standard error, at fixed trials or at the trials each input needs (``precision``).
"""

from __future__ import annotations

import math
import typing
from collections.abc import Callable

import numpy as np
import pandas as pd

from riskmodel.analysis.model_runs import METRICS, default_option, engine_for_runs, focused_on, run_many
from riskmodel.distributions import Quantity
from riskmodel.engine.rng import SEED_BLOCK
from riskmodel.engine.run import simulate
from riskmodel.inputs import epistemic_inputs
from riskmodel.scenario import Scenario


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
    option = option or default_option(scenario, metric)
    sim = simulate(focused_on(scenario, option)[0], trials, seed=seed, keep_detail=True, progress=progress)
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


#: A difference between two runs' trial below this share of their largest value is rounding (a
#: trial's NPV sums a few hundred terms, some 1e-14 of their size), not the input's effect.
ROUNDING = 1e-9


class Bar(typing.NamedTuple):
    """One input's two runs, paired trial by trial on the same futures."""

    low: float  #: the metric at the input's low end [currency or currency/yr]
    high: float  #: at its high end
    swing: float  #: |high − low|, 0 where no trial differs beyond rounding
    se: float  #: the swing's standard error, from each trial's difference
    #: (Σe²)² / Σe⁴ of the differences e about their mean: how many trials carry their
    #: spread (all of them when they are alike, one when one trial dominates) [trials]
    effective: float


def tornado(scenario: Scenario, metric: str = "npv", option: str | None = None, trials: int = 10_000,
            seed: int = 20221015, inputs: list[str] | None = None, low: float = 0.1, high: float = 0.9,
            executor=None, top: int | None = None, progress: Callable[[int, int], None] | None = None,
            precision: float | None = None, max_trials: int = 100_000) -> pd.DataFrame:
    """Each epistemic input at its ``low`` and ``high`` percentile in turn, the others as drawn.

    Both runs of an input are on the same simulated futures (common random numbers), so its
    swing's standard error comes from each trial's own difference between them, far below
    that of either run's mean.

    Parameters
    ----------
    scenario : Scenario
    metric : {"npv", "cash_npv", "ale"}
    option : str, optional
        The option whose metric is reported (default: the first non-baseline option for
        NPV, the baseline for ALE).
    trials, seed : int
        Simulated futures per run [trials] and the seed shared by every run.
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
    precision : float, optional
        Trials where they are needed: after a first pass at ``trials`` per run, an input whose
        swing's standard error could be above ``precision`` × the largest swing (the SE
        taken at three of its own standard errors above it, which a spread carried by a few
        rare trials makes wide: :func:`_unsettled`) is run again at
        the trials that should bring it there, at least twice as many, at most
        ``max_trials``, until none is left; a further pass continues the runs on the next
        futures of the seed, so each input's figures are a plain run's at its own trials (to
        the rounding of adding up passes). 0.005 holds every bar within ±2 % of the largest
        at 4 standard errors.
    max_trials : int
        The most trials per run with ``precision`` [trials].

    Returns
    -------
    pandas.DataFrame
        One row per input, sorted by swing (largest first): ``input_low``,
        ``input_high`` [the input's unit], ``metric_low``, ``metric_high``,
        ``swing`` (|high − low|; 0 where the two runs differ by rounding alone),
        ``swing_se`` (its standard error) [currency or
        currency/yr], ``trials`` (per run of the input) and ``base`` (the metric with
        every input as drawn, at ``trials``).

    Examples
    --------
    >>> from riskmodel import load
    >>> tornado(load("data/scenarios/kakao-2022.yaml"), trials=2_000, precision=0.005).head(3)  # doctest: +SKIP
    """
    if metric not in METRICS:  # before any run
        raise ValueError(f"metric: {metric!r} is not one of {', '.join(METRICS)}")
    if precision is not None and not 0 < precision < 1:
        raise ValueError(f"precision: {precision!r} — must be a fraction of the largest swing, above 0 and below 1")
    option = option or default_option(scenario, metric)
    candidates = epistemic_inputs(scenario)
    paths = inputs if inputs is not None else [p for p, q in candidates.items() if not q.is_fixed]
    unknown = [p for p in paths if p not in candidates]
    if unknown:
        raise ValueError(f"inputs: {unknown} are not epistemic inputs of this scenario")
    if top is not None:
        ranked = screen(scenario, metric, option, trials, seed, low, high, progress)
        paths = [p for p in ranked.index if p in paths][:top]
    focused, moving = focused_on(scenario, option)
    ends = {p: (candidates[p].quantile(low), candidates[p].quantile(high)) for p in paths}
    varied = [p for p in paths if p in moving]
    # One core for every run, chosen for the first pass; later passes only add to it.
    engine = engine_for_runs(focused, trials * (2 * len(varied) + 1))
    base = None
    n = dict.fromkeys(varied, trials)  # trials each input's runs are to reach
    done = dict.fromkeys(varied, 0)  # trials they have run
    parts: dict[str, list[tuple[float, np.ndarray, float, np.ndarray]]] = {p: [] for p in varied}
    found: dict[str, Bar] = {}
    pending = varied
    while base is None or pending:
        # A further pass continues an input's runs from its last trial on the same futures.
        runs = [(done[p], n[p] - done[p], {p: Quantity(value=v)}) for p in pending for v in ends[p]]
        results = iter(run_many(executor, focused, seed, metric, option, [(0, trials, None)] * (base is None) + runs,
                                engine))
        base = next(results)[0] if base is None else base
        for p in pending:
            parts[p].append((*next(results), *next(results)))  # value and trials at low, then at high
            done[p] = n[p]
            found[p] = _paired(parts[p])
        pending = [] if precision is None else _unsettled(found, pending, n, precision, max_trials)
    rows = []
    for path in paths:
        bar = found.get(path, Bar(base, base, 0.0, 0.0, 0.0))
        rows.append({"input": path, "input_low": ends[path][0], "input_high": ends[path][1],
                     "metric_low": bar.low, "metric_high": bar.high, "swing": bar.swing, "swing_se": bar.se,
                     "trials": n.get(path, 0), "base": base})
    table = pd.DataFrame(rows, columns=["input", "input_low", "input_high", "metric_low", "metric_high", "swing",
                                        "swing_se", "trials", "base"])
    return table.set_index("input").sort_values("swing", ascending=False)


def _paired(parts: list[tuple[float, np.ndarray, float, np.ndarray]]) -> Bar:
    """An input's bar from the passes of its two runs (each: value and per-trial values at low, then at high)."""
    low, high = (np.concatenate([part[i] for part in parts]) for i in (1, 3))
    d = high - low
    if len(parts) == 1:  # one run's figure is the engine's own, to the last bit
        at_low, at_high = parts[0][0], parts[0][2]
    else:  # passes continued on later futures, added up by their trials
        at_low, at_high = (sum(part[i] * part[i + 1].size for part in parts) / d.size for i in (0, 2))
    # Two runs that differ only in the rounding of their sums are the same run: the input moves nothing.
    scale = max(np.abs(low).max(initial=0.0), np.abs(high).max(initial=0.0))
    if not np.any(np.abs(d) > ROUNDING * scale):
        return Bar(at_low, at_high, 0.0, 0.0, float(d.size))
    e = d - d.mean()
    squares = e * e
    return Bar(at_low, at_high, abs(at_high - at_low), float(math.sqrt(squares.mean() / d.size)),
               float(squares.sum() ** 2 / (squares * squares).sum()))


def _unsettled(found: dict[str, Bar], last: list[str], n: dict[str, int], precision: float,
               max_trials: int) -> list[str]:
    """The inputs of the ``last`` pass that need more trials; ``n`` raised to what each is to run next."""
    goal = precision * max(bar.swing for bar in found.values())
    again = []
    for p in last:
        bar = found[p]
        # The SE is itself estimated, off by some 1 / (2 √effective) of itself (the sample SD's
        # error from the differences' kurtosis, n / effective): taken at three of those above it,
        # a spread carried by a few rare trials (a site fire) is not mistaken for a small one.
        se = bar.se * (1 + 1.5 / math.sqrt(max(bar.effective, 1.0)))
        if n[p] >= max_trials or goal == 0 or se <= goal:
            continue
        # The SE falls as 1/√trials; at least a doubling, so that an input takes few passes.
        wanted = n[p] * max((se / goal) ** 2, 2.0)
        n[p] = min(max_trials, math.ceil(wanted / SEED_BLOCK) * SEED_BLOCK)
        again.append(p)
    return again
