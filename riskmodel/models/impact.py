"""Downtime cost (DESIGN §6): the cost of one outage, component by component.

Functions are vectorised over events (and services): every argument broadcasts.
Components are returned separately so users can see where the money goes.
"""

from __future__ import annotations

import inspect

import numpy as np

from riskmodel.distributions import if_else

#: Cost components in reporting order. Their labels, in each language, are the labels
#: registry's (:mod:`riskmodel.present.labels`): a model names what it computes, not how it reads.
COMPONENTS = ("revenue", "productivity", "sla", "compensation", "regulatory", "churn", "response", "data_loss")


def pair_costs(downtime, data_loss, incident_cost, growth, revenue_per_hour, recovered_fraction, staff_idle,
               loaded_cost_per_hour, sla_penalty_per_hour, sla_grace_hours, compensation_per_hour,
               compensation_threshold_hours, fine, regulatory_threshold_hours, customers, churn_max,
               churn_tau_hours, customer_lifetime_value, responder_cost_per_hour, data_value_per_hour) -> tuple:
    """Cost of outages, one value per component of :data:`COMPONENTS`, in its order [currency].

    The one definition of the cost model (DESIGN §6): :func:`event_cost` and the engine's
    numpy path call it on arrays, the compiled core (:mod:`riskmodel.engine.kernels_numba`)
    compiles it for one (event, service) pair at a time, so it uses only arithmetic,
    comparisons and numpy's ufuncs. Every argument broadcasts.

    Parameters
    ----------
    downtime : numpy.ndarray or float
        Downtime of the service in the event [h].
    data_loss : numpy.ndarray or float
        Data lost [h of data].
    incident_cost : numpy.ndarray or float
        Fixed cost of this incident [currency], charged when the service is affected.
    growth : numpy.ndarray or float
        Growth factor (1 + g)^year [–].
    revenue_per_hour, recovered_fraction : numpy.ndarray or float
        Revenue while up [currency/h] and the share of it made up later [0–1].
    staff_idle, loaded_cost_per_hour : numpy.ndarray or float
        Staff idled [people] and their loaded cost [currency/h].
    sla_penalty_per_hour, sla_grace_hours : numpy.ndarray or float
        SLA penalty [currency/h] after a grace period [h].
    compensation_per_hour, compensation_threshold_hours : numpy.ndarray or float
        Compensation for every hour down [currency/h] once downtime exceeds a threshold [h].
    fine, regulatory_threshold_hours : numpy.ndarray or float
        A fine [currency] once downtime exceeds a threshold [h].
    customers, churn_max, churn_tau_hours, customer_lifetime_value : numpy.ndarray or float
        Customers [people], the share that leaves after a long outage [0–1], how fast
        churn approaches it [h], and what a customer is worth [currency].
    responder_cost_per_hour : numpy.ndarray or float
        Cost of the response while down [currency/h].
    data_value_per_hour : numpy.ndarray or float
        Value of an hour of data [currency/h].

    Returns
    -------
    tuple
        One cost per key of :data:`COMPONENTS` [currency]. Nothing is owed where nothing
        is down or lost (every threshold is at least 0 h).
    """
    d, r = downtime, data_loss
    return (revenue_per_hour * d * (1.0 - recovered_fraction) * growth,
            staff_idle * loaded_cost_per_hour * d * growth,
            sla_penalty_per_hour * np.maximum(0.0, d - sla_grace_hours) * growth,
            compensation_per_hour * d * (d > compensation_threshold_hours) * growth,
            fine * (d > regulatory_threshold_hours) * growth,
            customers * churn_max * customer_lifetime_value * -np.expm1(-d / churn_tau_hours) * growth,
            (if_else((d > 0.0) | (r > 0.0), incident_cost, 0.0) + responder_cost_per_hour * d) * growth,
            data_value_per_hour * r * growth)


#: The impact parameters :func:`pair_costs` reads, in the order of its arguments (and of the
#: compiled core's parameter arrays).
PARAMETERS = tuple(inspect.signature(pair_costs).parameters)[4:]
#: What a parameter the scenario leaves out means, where that is not zero.
DEFAULTS = {"churn_tau_hours": 24.0}
#: Parameters without which a component is zero whatever the others (the engine then skips it).
_NEEDS = {"revenue": ("revenue_per_hour",), "productivity": ("staff_idle", "loaded_cost_per_hour"),
          "sla": ("sla_penalty_per_hour",), "compensation": ("compensation_per_hour",), "regulatory": ("fine",),
          "churn": ("customers", "churn_max", "customer_lifetime_value"),
          "response": ("responder_cost_per_hour",), "data_loss": ("data_value_per_hour",)}


def event_cost(downtime, data_loss, p, incident_cost, growth=1.0) -> dict[str, np.ndarray | None]:
    """Cost of outages, by component: :func:`pair_costs` with parameters by name.

    Parameters
    ----------
    downtime : numpy.ndarray
        Downtime of the service in the event [h].
    data_loss : numpy.ndarray
        Data lost [h of data].
    p : Mapping[str, numpy.ndarray]
        Impact parameters named as :data:`PARAMETERS`, each broadcastable to ``downtime``
        ([currency/h], [h], [0–1], [people] …). A missing parameter is zero (or its
        :data:`DEFAULTS` value).
    incident_cost : numpy.ndarray
        Fixed cost of this incident [currency], charged when the service is affected.
    growth : numpy.ndarray, default 1.0
        Growth factor (1 + g)^year [–].

    Returns
    -------
    dict
        One entry per key of :data:`COMPONENTS` [currency]: an array shaped like
        ``downtime``, or None where the scenario gives that component no parameters
        (so the engine skips it).

    Examples
    --------
    >>> c = event_cost(np.array([10.0]), np.array([0.0]), {"revenue_per_hour": 100.0,
    ...                "recovered_fraction": 0.5}, 0.0)
    >>> float(c["revenue"][0])
    500.0
    """
    d = np.asarray(downtime, dtype=float)
    incident = np.asarray(incident_cost, dtype=float)
    costs = pair_costs(d, np.asarray(data_loss, dtype=float), incident, growth,
                       *(p.get(f, DEFAULTS.get(f, 0.0)) for f in PARAMETERS))
    given = {k: all(f in p for f in needs) for k, needs in _NEEDS.items()}
    given["response"] |= bool(incident.any())
    return {k: np.broadcast_to(v, d.shape) if given[k] else None for k, v in zip(COMPONENTS, costs)}
