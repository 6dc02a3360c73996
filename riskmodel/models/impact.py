"""Downtime cost (DESIGN §6): the cost of one outage, component by component.

Functions are vectorised over events (and services): every argument broadcasts.
Components are returned separately so users can see where the money goes.
"""

from __future__ import annotations

import numpy as np

#: Cost components in reporting order, with the English label used in tables.
COMPONENTS = {
    "revenue": "lost revenue",
    "productivity": "idle staff",
    "sla": "SLA penalties",
    "compensation": "compensation",
    "regulatory": "regulatory fines",
    "churn": "customer churn",
    "response": "incident response",
    "data_loss": "data loss",
}


#: The impact parameters :func:`event_cost` reads, in the order the engine's compiled
#: kernel (:mod:`riskmodel.engine.kernels`) indexes them.
PARAMETERS = ("revenue_per_hour", "recovered_fraction", "staff_idle", "loaded_cost_per_hour",
              "sla_penalty_per_hour", "sla_grace_hours", "compensation_per_hour",
              "compensation_threshold_hours", "fine", "regulatory_threshold_hours", "customers",
              "churn_max", "churn_tau_hours", "customer_lifetime_value", "responder_cost_per_hour",
              "data_value_per_hour")
#: What a parameter the scenario leaves out means, where that is not zero.
DEFAULTS = {"churn_tau_hours": 24.0}


def event_cost(downtime, data_loss, p, incident_cost, growth=1.0) -> dict[str, np.ndarray | None]:
    """Cost of outages, by component.

    Parameters
    ----------
    downtime : numpy.ndarray
        Downtime of the service in the event [h].
    data_loss : numpy.ndarray
        Data lost [h of data].
    p : Mapping[str, numpy.ndarray]
        Impact parameters named as :class:`riskmodel.scenario.Impact` fields, each
        broadcastable to ``downtime`` ([currency/h], [h], [0–1], [people] …). A missing
        parameter is zero.
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
    r = np.asarray(data_loss, dtype=float)
    get = p.get
    has = lambda *names: all(name in p for name in names)  # noqa: E731
    out: dict[str, np.ndarray | None] = dict.fromkeys(COMPONENTS)
    if has("revenue_per_hour"):
        out["revenue"] = p["revenue_per_hour"] * d * (1 - get("recovered_fraction", 0.0))
    if has("staff_idle", "loaded_cost_per_hour"):
        out["productivity"] = p["staff_idle"] * p["loaded_cost_per_hour"] * d
    if has("sla_penalty_per_hour"):
        out["sla"] = p["sla_penalty_per_hour"] * np.maximum(0.0, d - get("sla_grace_hours", 0.0))
    if has("compensation_per_hour"):
        out["compensation"] = p["compensation_per_hour"] * d * (d > get("compensation_threshold_hours", 0.0))
    if has("fine"):
        out["regulatory"] = p["fine"] * (d > get("regulatory_threshold_hours", 0.0))
    if has("customers", "churn_max", "customer_lifetime_value"):
        out["churn"] = (p["customers"] * p["churn_max"] * p["customer_lifetime_value"]
                        * -np.expm1(-d / get("churn_tau_hours", DEFAULTS["churn_tau_hours"])))
    incident = np.asarray(incident_cost, dtype=float)
    if incident.any() or has("responder_cost_per_hour"):
        out["response"] = np.where((d > 0) | (r > 0), incident, 0.0) + get("responder_cost_per_hour", 0.0) * d
    if has("data_value_per_hour"):
        out["data_loss"] = p["data_value_per_hour"] * r
    return {k: None if v is None else np.broadcast_to(v * growth, d.shape) for k, v in out.items()}
