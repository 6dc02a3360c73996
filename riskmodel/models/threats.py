"""Outage frequency (DESIGN §4): rate forms and event counts by inverse transform.

Counts are drawn by inverting the Poisson CDF at given uniforms rather than with
``Generator.poisson``: the same uniform then gives a count that never falls when the
rate rises (a monotone coupling), so comparisons between rates, tornado swings and
break-even searches see the same futures, only more or fewer events in them.

Above ``NORMAL_ABOVE`` expected events the exact inversion would start from
``exp(-rate)``, which underflows to zero from 745 on and would never end; there the count
inverts the normal approximation with continuity correction, never below the exact count
at ``NORMAL_ABOVE``, so the coupling stays monotone across the switch. Its CDF departs
from Poisson's by the Edgeworth skewness term, at most φ(0)/(6√λ) (:func:`normal_error`:
0.003 at 500 events, less above), far below the Monte Carlo error of any estimate.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

HOURS_PER_YEAR = 8760.0

#: Expected events per period above which counts come from the normal approximation [events].
NORMAL_ABOVE = 500.0

#: How each frequency form turns into a rate [events/yr].
RATE_FROM = {
    "rate": lambda x: x,
    "annual_probability": lambda p: -np.log1p(-np.minimum(p, 1 - 1e-15)),
    "return_period_years": lambda t: 1.0 / t,
    "mtbf_hours": lambda h: HOURS_PER_YEAR / h,
}


def annual_rate(form: str, value: np.ndarray) -> np.ndarray:
    """Convert a frequency given in ``form`` to a rate.

    Parameters
    ----------
    form : str
        ``rate`` [events/yr], ``annual_probability`` [0–1], ``return_period_years`` [yr]
        or ``mtbf_hours`` [h].
    value : numeric
        The frequency in that form.

    Returns
    -------
    numpy.ndarray
        Rate of a Poisson process [events/yr].

    Examples
    --------
    >>> float(annual_rate("return_period_years", np.array(50.0)))
    0.02
    """
    return np.asarray(RATE_FROM[form](np.asarray(value, dtype=float)), dtype=float)


def normal_error(rate: float) -> float:
    """Largest distance between Poisson's CDF and the continuity-corrected normal's [0–1].

    The Edgeworth expansion's first term, ``φ(z)(1 − z²)/(6√λ)``, is largest at z = 0;
    the next terms are of order 1/λ.

    Examples
    --------
    >>> round(normal_error(500.0), 4)
    0.003
    """
    return 1 / (6 * math.sqrt(2 * math.pi * rate))


# The two steps below are the one definition of the inversion both engine paths use: numpy
# applies them to every unsettled draw at once (:func:`poisson_counts`), the compiled core
# (:mod:`riskmodel.engine.kernels_numba`) compiles them and walks one draw at a time.

def poisson_step(k, rate, pmf, cdf, u):
    """Term ``k`` of the Poisson CDF's inversion at uniforms ``u``: arrays or scalars.

    Parameters
    ----------
    k : int
        The count tried, from 1 [events].
    rate : numpy.ndarray or float
        Expected events [events].
    pmf, cdf : numpy.ndarray or float
        P(N = k − 1) and P(N ≤ k − 1) [0–1].
    u : numpy.ndarray or float
        The uniforms [0–1).

    Returns
    -------
    tuple
        P(N = k), P(N ≤ k), and whether the count is k: ``u`` is below P(N ≤ k), or the
        terms have vanished past the mode (``u`` within rounding of 1).
    """
    pmf = pmf * rate / k
    cdf = cdf + pmf
    return pmf, cdf, (u < cdf) | (pmf < 1e-300) & (k > rate)


def normal_count(rate, z):
    """The continuity-corrected normal approximation's count at z = ndtri(u) [events] (floats)."""
    return np.floor(rate + np.sqrt(rate) * z + 0.5)


def poisson_counts(rate: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Poisson event counts by inverse CDF: the smallest k with F(k; rate) ≥ u.

    Parameters
    ----------
    rate : numpy.ndarray
        Expected events per period [events], broadcastable to ``u``.
    u : numpy.ndarray
        Uniforms in [0, 1).

    Returns
    -------
    numpy.ndarray of int64, shape of ``u``
        Event counts [events].

    Examples
    --------
    >>> poisson_counts(np.array([0.1, 0.1, 5.0]), np.array([0.5, 0.99, 0.5])).tolist()
    [0, 1, 5]
    """
    rate = np.broadcast_to(np.asarray(rate, dtype=float), u.shape)
    large = rate > NORMAL_ABOVE
    if large.any():
        counts = poisson_counts(np.where(large, NORMAL_ABOVE, rate), u)
        lam, v = rate[large], u[large]
        counts[large] = np.maximum(normal_count(lam, special.ndtri(v)), counts[large])
        return counts
    pmf = np.exp(-rate)
    counts = np.zeros(u.shape, dtype=np.int64)
    idx = np.flatnonzero(u.ravel() >= pmf.ravel())
    if idx.size == 0:
        return counts
    flat_u, flat_rate = u.ravel()[idx], rate.ravel()[idx]
    p = pmf.ravel()[idx]
    cdf = p.copy()
    k = 0
    # Each pass settles the draws whose quantile is k; few remain after λ + 10√λ passes.
    while idx.size:
        k += 1
        p, cdf, done = poisson_step(k, flat_rate, p, cdf, flat_u)
        counts.ravel()[idx[done]] = k
        keep = ~done
        idx, flat_u, flat_rate, p, cdf = idx[keep], flat_u[keep], flat_rate[keep], p[keep], cdf[keep]
    return counts
