"""Sensitivity and decision analysis (DESIGN §10): which assumptions decide the answer.

Every analysis here is a set of model runs on the same simulated futures (common random
numbers, :mod:`riskmodel.analysis.model_runs`), so differences between runs are an input's
effect and not noise. The tornado is :mod:`riskmodel.analysis.tornado`.

* :func:`break_even` — the value of one input at which an option's mean NPV crosses zero;
* :func:`evpi` — what resolving all uncertainty before deciding would be worth;
* :func:`partial_evpi` — the same for one input at a time (binned estimator);
* :func:`sobol` — first- and total-order Sobol indices through SALib, for analysts.

Metrics are those of :data:`riskmodel.analysis.model_runs.METRICS`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize

from riskmodel.analysis.model_runs import default_option, focused_on, run_many, run_metric
from riskmodel.analysis.tornado import screen
from riskmodel.distributions import Quantity
from riskmodel.engine.run import Simulation
from riskmodel.inputs import epistemic_inputs
from riskmodel.scenario import Scenario


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

    focused, moving = focused_on(scenario, option)

    def run(value: float) -> tuple[float, float]:
        return run_metric(focused, trials, seed, metric, option, {path: Quantity(value=value)} if path in moving else None,
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
    option = option or default_option(scenario, metric)
    candidates = epistemic_inputs(scenario)
    paths = inputs if inputs is not None else list(screen(scenario, metric, option, trials, seed).index[:top])
    unknown = [p for p in paths if p not in candidates]
    if unknown:
        raise ValueError(f"inputs: {unknown} are not epistemic inputs of this scenario")
    eps = 1e-6  # the sequence reaches 0; keep quantiles finite

    focused, moving = focused_on(scenario, option)

    def evaluate(u: np.ndarray) -> np.ndarray:
        overrides = [{p: Quantity(value=float(candidates[p].ppf(np.array([min(max(x, eps), 1 - eps)]))[0]))
                      for p, x in zip(paths, row) if p in moving} for row in u]
        return np.array([value for value, _ in run_many(executor, focused, seed, metric, option,
                                                     [(0, trials, o) for o in overrides])])

    return sobol_indices(paths, evaluate, n, seed)
