"""Concentration of risk in a portfolio (DESIGN §12): what one building costs.

``single_building_loss`` answers the board's question "what if we lose that building?"
for each site: the worst site threat that can strike it, lasting its 95th-percentile
duration, with no DR, so every service hosted there — and every service that depends on
one of them, wherever it runs — is down for the whole outage. Impact parameters are
taken at their means. It needs no simulation; the simulated counterpart is the
concentration share in :func:`riskmodel.analysis.appraisal.concentration`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from riskmodel import dependencies
from riskmodel.models import impact
from riskmodel.scenario import Scenario


def services_down(scenario: Scenario, site: str) -> list[str]:
    """Services down when ``site`` is lost: those hosted there and, transitively, their dependents."""
    down = dependencies.down_with({s.name: s.depends_on for s in scenario.services},
                                  [s.name for s in scenario.services if s.site == site])
    return [s.name for s in scenario.services if s.name in down]


def single_building_loss(scenario: Scenario, quantile: float = 0.95) -> pd.DataFrame:
    """Loss if each site is lost for a high-percentile outage with no DR [currency].

    Parameters
    ----------
    scenario : Scenario
    quantile : float
        Percentile of the site threat's duration taken as "its longest plausible
        outage" [0–1].

    Returns
    -------
    pandas.DataFrame
        One row per site that a site threat can strike: ``threat``, ``outage_hours``
        [h], ``data_lost_hours`` [h], ``services_down`` (names, comma-separated), the loss
        by component (a column per key of ``impact.COMPONENTS``) and ``loss`` in total
        [currency].

    Examples
    --------
    >>> from riskmodel import load
    >>> single_building_loss(load("data/scenarios/kakao-2022.yaml"))  # doctest: +SKIP
    """
    rows = []
    for site in scenario.sites:
        threats = [t for t in scenario.threats if t.scope == "site" and (t.sites is None or t.sites.get(site.name))]
        if not threats:
            continue
        worst = max(threats, key=lambda t: t.duration_hours.quantile(quantile))
        hours = worst.duration_hours.quantile(quantile)
        destroyed = worst.data_loss_hours.quantile(quantile)
        names = services_down(scenario, site.name)
        parts = dict.fromkeys(impact.COMPONENTS, 0.0)
        for svc in scenario.services:
            if svc.name not in names:
                continue
            params = {f: q.mean() for f, q in svc.impact if hasattr(q, "mean") and f != "incident_fixed_cost"}
            lost = destroyed if svc.site == site.name else 0.0
            cost = impact.event_cost(np.array([hours]), np.array([lost]), params,
                                     np.array([svc.impact.incident_fixed_cost.mean()]))
            for name, values in cost.items():
                if values is not None:
                    parts[name] += float(values[0])
        rows.append({"site": site.name, "threat": worst.name, "outage_hours": hours, "data_lost_hours": destroyed,
                     "services_down": ", ".join(names), **parts, "loss": sum(parts.values())})
    return pd.DataFrame(rows).set_index("site") if rows else pd.DataFrame()
