"""The engine's streamed distributions: integer counts in fixed logarithmic bins.

The engine never holds every trial-year in memory (DESIGN §8: memory bounded by the
block size). Distributions are kept as integer counts in fixed logarithmic bins, 1,000 a
decade from 1e-3 to 1e18 on each side of zero, so a quantile read from them
(:mod:`riskmodel.analysis.metrics`) is within 0.12 % of the sample quantile (half a
bin), far inside Monte Carlo error. Counts add exactly, so results are the same
whichever worker or chunk produced them.
"""

from __future__ import annotations

import math

import numpy as np

BINS_PER_DECADE = 1000
LOG_MIN, LOG_MAX = -3, 18
N_SIDE = (LOG_MAX - LOG_MIN) * BINS_PER_DECADE
N_BINS = 2 * N_SIDE + 1
ZERO_BIN = N_SIDE
_EDGES = 10.0 ** (LOG_MIN + np.arange(N_SIDE + 1) / BINS_PER_DECADE)


def bin_index(x: np.ndarray) -> np.ndarray:
    """Histogram bin of each value: ``ZERO_BIN`` for 0, above it positives, below negatives."""
    x = np.asarray(x, dtype=float)
    idx = np.full(x.shape, ZERO_BIN, dtype=np.int64)
    nonzero = np.flatnonzero(x)  # annual losses are mostly zero: take logs of the rest only
    idx.ravel()[nonzero] = _nonzero_bin(x.ravel()[nonzero])
    return idx


def _nonzero_bin(v: np.ndarray) -> np.ndarray:
    """:func:`bin_index` of values that are not 0."""
    k = np.floor((np.log10(np.abs(v)) - LOG_MIN) * BINS_PER_DECADE)
    k = np.clip(k, 0, N_SIDE - 1).astype(np.int64)
    return np.where(v > 0, ZERO_BIN + 1 + k, ZERO_BIN - 1 - k)


def histogram(x: np.ndarray) -> np.ndarray:
    """Counts of ``x`` (shape (n,) or (m, n)) in the fixed bins; shape (N_BINS,) or (m, N_BINS).

    Examples
    --------
    >>> counts = histogram(np.array([0.0, 0.0, 5.0]))
    >>> int(counts[ZERO_BIN]), int(counts.sum())
    (2, 3)
    """
    x = np.asarray(x, dtype=float)
    rows = x.reshape(math.prod(x.shape[:-1]), x.shape[-1])
    # Only values that are not 0 are binned one by one; the zeros (most annual losses, and
    # every NPV of the baseline against itself) are counted per row from how many are not.
    nonzero = np.flatnonzero(rows)
    row = nonzero // rows.shape[1]
    counts = np.bincount(_nonzero_bin(rows.ravel()[nonzero]) + N_BINS * row, minlength=N_BINS * rows.shape[0])
    counts = counts.reshape(rows.shape[0], N_BINS)
    counts[:, ZERO_BIN] += rows.shape[1] - np.bincount(row, minlength=rows.shape[0])
    return counts.reshape(*x.shape[:-1], N_BINS)


def bin_bounds(i: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper value of bins ``i`` (0 for the zero bin)."""
    i = np.asarray(i)
    k = np.abs(i - ZERO_BIN) - 1
    lo_mag, hi_mag = _EDGES[np.clip(k, 0, N_SIDE)], _EDGES[np.clip(k + 1, 0, N_SIDE)]
    lo = np.where(i > ZERO_BIN, lo_mag, np.where(i < ZERO_BIN, -hi_mag, 0.0))
    hi = np.where(i > ZERO_BIN, hi_mag, np.where(i < ZERO_BIN, -lo_mag, 0.0))
    return lo, hi
