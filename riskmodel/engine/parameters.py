"""The epistemic inputs of a chunk's trials, drawn once per trial (DESIGN §3, §8).

Each uncertain input is sampled by inverse transform from a uniform keyed by the trial's
word and the input's identity (:attr:`riskmodel.engine.plan.Plan.keys`).
"""

from __future__ import annotations

import numpy as np

from riskmodel.engine.plan import Plan
from riskmodel.models import impact


class Parameters:
    """Epistemic parameter values of a chunk's trials, indexed as ``P[rows, column]``.

    Only inputs given as distributions get a (trials,) array; fixed inputs stay
    scalars, so a scenario's many fixed numbers cost nothing per trial.
    """

    def __init__(self, plan: Plan, u: np.ndarray):
        self.fixed = [q.value if q.is_fixed else None for q in plan.quantities]
        self.random = {int(j): q.ppf(u[:, k]) if not q.is_fixed else np.full(u.shape[0], q.value)
                       for k, j in enumerate(plan.random_cols) for q in [plan.quantities[j]]}

    def __getitem__(self, key):
        rows, column = key
        values = self.random.get(column)
        return self.fixed[column] if values is None else values[rows]


def impact_params(plan: Plan, P: Parameters, T: int) -> np.ndarray:
    """Impact parameters per trial and service, shaped (trials, services, fields) for the compiled core.

    A field the scenario leaves at zero for every service is absent to
    :func:`riskmodel.models.impact.event_cost`; here it is zero, or its default where absence
    means one (the churn time constant).
    """
    # Fixed fields are one (services, fields) row for every trial, laid down in one contiguous
    # fill; only drawn inputs are written trial by trial (a strided write per field cost more
    # than the compiled core's whole walk of a light scenario's events).
    row = np.zeros((plan.n_services, len(impact.PARAMETERS)))
    drawn = []
    for j, f in enumerate(impact.PARAMETERS):
        absent = impact_absent(plan, j)
        for s, c in enumerate(plan.impact_cols[:, j]):
            if absent:
                row[s, j] = impact.DEFAULTS.get(f, 0.0)
            elif plan.quantities[c].is_fixed:
                row[s, j] = plan.quantities[c].value
            else:
                drawn.append((s, j, c))
    out = np.empty((T, *row.shape))
    out[:] = row
    for s, j, c in drawn:
        out[:, s, j] = P[:, c]
    return out


def impact_absent(plan: Plan, j: int) -> bool:
    """Whether impact parameter ``j`` is fixed at zero for every service (absent to the cost model)."""
    return all(plan.quantities[c].is_fixed and not plan.quantities[c].value for c in plan.impact_cols[:, j])
