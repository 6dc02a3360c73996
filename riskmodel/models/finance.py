"""Investment arithmetic (DESIGN §9): discounting, NPV, IRR, payback, ROI.

Conventions, as numpy-financial's: cash flow t = 0 is now (capital spent at the start),
flows t = 1 … H arrive at the end of each year. Undefined results (no IRR, no payback
within the horizon) are ``nan``.
"""

from __future__ import annotations

import numpy as np
import numpy_financial as npf


def discount_factors(rate: float, horizon: int) -> np.ndarray:
    """Present value of 1 paid at the end of years 1…H: (1 + r)^−t [–].

    Examples
    --------
    >>> discount_factors(0.1, 2).round(4).tolist()
    [0.9091, 0.8264]
    """
    return (1.0 + rate) ** -np.arange(1, horizon + 1, dtype=float)


def present_value(rate: float, flows: np.ndarray) -> np.ndarray:
    """Present value of cash flows at the end of years 1…H [currency].

    Broadcasts over leading axes: ``flows`` of shape (options, trials, H) gives (options, trials).

    Examples
    --------
    >>> float(present_value(0.1, np.array([60.0, 60.0])).round(2))
    104.13
    """
    return np.asarray(flows, dtype=float) @ discount_factors(rate, np.shape(flows)[-1])


def npv(rate: float, flows: np.ndarray) -> np.ndarray:
    """Net present value of cash flows whose first entry is year 0 [currency].

    Broadcasts over leading axes: ``flows`` of shape (trials, H + 1) gives (trials,).

    Examples
    --------
    >>> float(npv(0.1, np.array([-100.0, 60.0, 60.0])).round(2))
    4.13
    """
    flows = np.asarray(flows, dtype=float)
    return flows[..., 0] + present_value(rate, flows[..., 1:])


def irr(flows: np.ndarray) -> float:
    """Internal rate of return of one cash-flow series [1/yr], ``nan`` if none exists."""
    flows = np.asarray(flows, dtype=float)
    if not (flows < 0).any() or not (flows > 0).any():
        return float("nan")
    return float(npf.irr(flows))


def payback_year(rate: float, flows: np.ndarray) -> float:
    """First year whose cumulative discounted cash flow is ≥ 0 [yr]; ``nan`` if never.

    Year 0 counts only when something happens in it: an up-front saving is paid back
    at 0, while an option that costs nothing up front and gains from year 1 has payback 1.

    Examples
    --------
    >>> payback_year(0.0, np.array([-100.0, 60.0, 60.0])), payback_year(0.05, np.array([0.0, 10.0, 10.0]))
    (2.0, 1.0)
    """
    flows = np.asarray(flows, dtype=float)
    disc = np.concatenate([[1.0], discount_factors(rate, flows.size - 1)])
    cumulative = np.cumsum(flows * disc)
    reached = np.flatnonzero(cumulative >= 0)
    reached = reached[reached > 0] if flows[0] == 0 else reached
    return float(reached[0]) if reached.size else float("nan")


def roi(pv_benefits: float, pv_costs: float) -> float:
    """Return on investment, (PV benefits − PV costs) / PV costs [–]; ``nan`` when nothing is spent."""
    return (pv_benefits - pv_costs) / pv_costs if pv_costs > 0 else float("nan")


def annuity_factor(rate: float, horizon: int) -> float:
    """Capital recovery factor: the yearly payment over H years worth 1 today [1/yr]."""
    return 1.0 / horizon if rate == 0 else rate / (1 - (1 + rate) ** -horizon)


GORDON_LOEB = 1 / np.e
