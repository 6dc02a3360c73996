"""Statistics of streamed results: means with their standard errors, quantiles, tails, exceedance.

The engine keeps means and variances as sums and sums of squares, and distributions as
integer counts in the fixed logarithmic bins of :mod:`riskmodel.engine.histogram`; this
module reads them. A quantile read from the bins is within 0.12 % of the sample quantile
(half a bin), far inside Monte Carlo error.
"""

from __future__ import annotations

import math

import numpy as np

from riskmodel.engine.histogram import N_BINS, ZERO_BIN, bin_bounds, bin_index, histogram

__all__ = ["N_BINS", "ZERO_BIN", "bin_index", "design_effect", "exceedance", "histogram", "quantile",
           "quantile_interval",
           "standard_error", "tail_mean"]


def standard_error(mean: float, sum_of_squares: float, n: int) -> float:
    """Standard error of a mean over ``n`` independent trials, from the streamed sum of their squares.

    ``mean`` is the mean of the ``n`` per-trial values (in their unit) and
    ``sum_of_squares`` the sum of their squares; the variance is taken as
    ``sum_of_squares / n − mean²`` (never below 0, which rounding can reach for a
    constant). The result is in the unit of ``mean``.

    Examples
    --------
    >>> standard_error(2.0, 4.0 + 4.0 + 16.0 + 0.0, 4)  # values 2, 2, 4, 0: variance 2
    0.7071067811865476
    """
    return math.sqrt(max(sum_of_squares / n - mean ** 2, 0.0) / n)


def _locate(counts: np.ndarray, q: float) -> tuple[np.ndarray, float, int] | None:
    """Cumulative counts, the target rank q·n and the bin holding it; None when empty."""
    total = counts.sum()
    if total == 0:
        return None
    cum = np.cumsum(counts)
    target = q * total
    return cum, target, min(int(np.searchsorted(cum, target, side="left")), N_BINS - 1)


def quantile(counts: np.ndarray, q: float) -> float:
    """The q-quantile of the values counted in ``counts``, interpolated inside its bin."""
    located = _locate(counts, q)
    if located is None:
        return float("nan")
    cum, target, i = located
    below = cum[i] - counts[i]
    frac = 0.0 if counts[i] == 0 else (target - below) / counts[i]
    lo, hi = bin_bounds(np.array(i))
    return float(lo + np.clip(frac, 0, 1) * (hi - lo))


def quantile_interval(counts: np.ndarray, q: float, n_effective: float, z: float = 1.645) -> tuple[float, float]:
    """A distribution-free interval for the q-quantile (90 % with the default ``z``) [unit of the values].

    The sample q-quantile of n independent values lies between the order statistics of
    ranks n·q ∓ z·√(n·q·(1−q)) (the binomial count below the true quantile); the interval
    is read at those ranks. Values that are not independent (a trial's years share its
    inputs) count as ``n_effective`` independent ones, the count divided by the design
    effect (:func:`design_effect`).

    Examples
    --------
    >>> from riskmodel.engine.histogram import histogram
    >>> lo, hi = quantile_interval(histogram(np.arange(1.0, 10_001.0)), 0.5, 10_000)
    >>> bool(4_900 < lo < 5_000 < hi < 5_100)
    True
    """
    half = z * math.sqrt(q * (1 - q) / max(n_effective, 1.0))
    return quantile(counts, max(q - half, 0.0)), quantile(counts, min(q + half, 1.0))


def design_effect(mean: float, sum_of_squares: float, n: int, clustered_se: float) -> float:
    """How many times the variance of a mean exceeds that of ``n`` independent values (Kish), at least 1.

    ``mean`` and ``sum_of_squares`` are of the ``n`` values; ``clustered_se`` the standard
    error of their mean taking clusters (trials) as the observations.
    """
    independent = standard_error(mean, sum_of_squares, n)
    return max((clustered_se / independent) ** 2, 1.0) if independent > 0 else 1.0


def tail_mean(counts: np.ndarray, q: float) -> float:
    """Mean of the values at or above the q-quantile (TVaR), from bin midpoints."""
    located = _locate(counts, q)
    if located is None:
        return float("nan")
    cum, target, i = located
    lo, hi = bin_bounds(np.arange(i + 1, N_BINS))
    var = quantile(counts, q)
    _, hi_i = bin_bounds(np.array(i))
    inside = cum[i] - target
    weight = counts[i + 1:].sum() + inside
    if weight <= 0:
        return var
    mass = (counts[i + 1:] * (lo + hi) / 2).sum() + inside * (var + float(hi_i)) / 2
    return float(mass / weight)


def exceedance(counts: np.ndarray, x: np.ndarray) -> np.ndarray:
    """P(value > x) for each x, interpolating linearly inside bins."""
    total = counts.sum()
    x = np.atleast_1d(np.asarray(x, dtype=float))
    if total == 0:
        return np.full(x.shape, np.nan)
    i = bin_index(x)
    lo, hi = bin_bounds(i)
    above = total - np.cumsum(counts)
    width = hi - lo
    inside = np.where(width > 0, (hi - x) / np.where(width > 0, width, 1), 0.0)
    return (above[i] + counts[i] * np.clip(inside, 0, 1)) / total
