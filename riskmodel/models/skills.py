"""Engineer-skills programme (DESIGN §7): the capacity it frees, year by year.

Effects on risk (MTTR, human-error rate, failover success) are applied by the engine
(:mod:`riskmodel.engine.run`) with the same random numbers as every other option, and grow
along the same learning curve as the freed capacity (:func:`ramped`): engineers are not
skilled on the first day of a programme. :func:`ramp` and :func:`ramped` are the one
definition both engine paths use (the compiled core compiles them for scalars), so they take
numbers or arrays, not lists.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def ramp(years, ramp_years):
    """Share of the programme's full effect reached in each year [0–1].

    A linear learning curve: year t (1-based) reaches ``min(1, t / ramp_years)``.

    Examples
    --------
    >>> ramp(np.arange(1, 5), 2.0).tolist()
    [0.5, 1.0, 1.0, 1.0]
    """
    return np.minimum(1.0, years / ramp_years)


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
    return 1.0 - (1.0 - full_effect) * ramp(years, ramp_years)


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


#: Paid hours of one engineer in a year [h/yr]: 40 h × 52 weeks, the US full-time
#: convention (KOSA's 2025 hourly rate implies 1,978 paid hours in Korea; engineers.csv).
WORK_HOURS_PER_YEAR = 2080.0


def freed_capacity_table(engineers, loaded_cost, toil_now, toil_target, ramp_years, multiplier, horizon):
    """Freed capacity year by year, at given (e.g. expected) inputs.

    Parameters are those of :func:`freed_capacity_value` (scalars); ``horizon`` [yr].

    Returns
    -------
    pandas.DataFrame
        Indexed by year (1…horizon): ``toil_share`` [0–1] (falling along the ramp),
        ``freed_hours`` [h/yr] (engineers · (toil_now − toil_t) · :data:`WORK_HOURS_PER_YEAR`),
        ``freed_value`` [currency/yr].

    Examples
    --------
    >>> freed_capacity_table(10, 100_000, 0.7, 0.5, 2, 1.0, 3)["freed_hours"].tolist()
    [2080.0, 4160.0, 4160.0]
    """
    years = np.arange(1, horizon + 1)
    learnt = ramp(years, ramp_years)
    return pd.DataFrame({
        "toil_share": toil_now - (toil_now - toil_target) * learnt,
        "freed_hours": engineers * (toil_now - toil_target) * learnt * WORK_HOURS_PER_YEAR,
        "freed_value": freed_capacity_value(engineers, loaded_cost, toil_now, toil_target,
                                                                   ramp_years, multiplier, years),
    }, index=pd.Index(years, name="year"))
