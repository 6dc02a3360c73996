"""Engineer-skills programme (DESIGN §7): the capacity it frees, year by year.

Effects on risk (MTTR, human-error rate, failover success) are applied by the engine
(:mod:`riskmodel.simulate`) with the same random numbers as every other option, and grow
along the same learning curve as the freed capacity (:func:`ramped`): engineers are not
skilled on the first day of a programme.
"""

from __future__ import annotations

import numpy as np


def ramp(years, ramp_years):
    """Share of the programme's full effect reached in each year [0–1].

    A linear learning curve: year t (1-based) reaches ``min(1, t / ramp_years)``.

    Examples
    --------
    >>> ramp(np.arange(1, 5), 2.0).tolist()
    [0.5, 1.0, 1.0, 1.0]
    """
    return np.minimum(1.0, np.asarray(years, dtype=float) / ramp_years)


def ramped(full_effect, years, ramp_years):
    """A multiplier's value in each year as the team learns: from 1 (no effect) to
    ``full_effect`` along :func:`ramp`. (An uplift, neutral at 0, is ``uplift · ramp``.)

    Parameters
    ----------
    full_effect : numeric
        The multiplier once learnt [×].
    years : numeric
        Year of each event, 1-based [yr].
    ramp_years : float
        Years to learn it [yr].

    Returns
    -------
    numpy.ndarray
        1 − (1 − full_effect) · ramp(years) [×].

    Examples
    --------
    >>> ramped(0.6, np.array([1, 2, 3]), 2.0).tolist()
    [0.8, 0.6, 0.6]
    """
    return 1.0 - (1.0 - np.asarray(full_effect, dtype=float)) * ramp(years, ramp_years)


def freed_capacity_value(engineers, loaded_cost, toil_now, toil_target, ramp_years, multiplier, years):
    """Value of the engineering capacity freed from toil [currency/yr].

    Parameters
    ----------
    engineers : int
        Team size [people].
    loaded_cost : numeric
        Loaded cost per engineer [currency/yr/person].
    toil_now, toil_target : numeric
        Share of capacity spent on toil now and once trained [0–1].
    ramp_years : float
        Years to reach the target [yr].
    multiplier : numeric
        Value of a freed hour relative to its wage [×].
    years : numpy.ndarray
        Years 1…H.

    Returns
    -------
    numpy.ndarray
        engineers · (toil_now − toil_t) · loaded_cost · multiplier, broadcast over
        ``years`` on the last axis [currency/yr].
    """
    share = np.asarray(toil_now - toil_target, dtype=float)[..., None] * ramp(years, ramp_years)
    return engineers * share * np.asarray(loaded_cost * multiplier, dtype=float)[..., None]
