"""Plotly figures built from an Appraisal; pages only place them."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from riskmodel import Appraisal
from riskmodel.format import money

from .i18n import t


def exceedance_figure(result: Appraisal, lang: str) -> go.Figure:
    """Loss exceedance curves of every option on a log money axis, with the risk tolerance."""
    cur = result.simulation.scenario.currency
    lec = result.exceedance
    fig = go.Figure()
    x = lec.index.to_numpy()
    for option in lec.columns:
        y = lec[option].to_numpy()
        keep = y > 0
        fig.add_trace(go.Scatter(x=x[keep], y=y[keep], mode="lines", name=option,
                                 hovertext=[money(v, cur, lang) for v in x[keep]]))
    tolerance = result.simulation.scenario.risk_tolerance
    if tolerance:
        loss, prob = zip(*tolerance)
        fig.add_trace(go.Scatter(x=loss, y=prob, mode="lines+markers", name=t("tolerance", lang),
                                 line={"dash": "dash", "color": "black"}))
    ticks = np.geomspace(x.min(), x.max(), 6) if x.size else []
    fig.update_layout(title=t("lec_title", lang), xaxis_title=f"{t('annual_loss', lang)} [{cur}]",
                      yaxis_title=t("probability", lang), height=460, margin={"t": 60})
    fig.update_xaxes(type="log", tickvals=list(ticks), ticktext=[money(v, cur, lang) for v in ticks])
    fig.update_yaxes(type="log")
    return fig


def frontier_figure(result: Appraisal, lang: str) -> go.Figure:
    """Annual cost against expected annual loss, one point per option."""
    cur = result.simulation.scenario.currency
    cost = result.investment[f"annual cost [{cur}/yr]"]
    ale = result.risk[f"ALE [{cur}/yr]"]
    fig = go.Figure(go.Scatter(x=cost, y=ale, mode="markers+text", text=list(cost.index),
                               textposition="top center", marker={"size": 12}))
    fig.update_layout(title=t("frontier_title", lang), xaxis_title=f"{t('annual_cost', lang)} [{cur}/yr]",
                      yaxis_title=f"{t('ale', lang)} [{cur}/yr]", height=460, margin={"t": 60})
    return fig


def expense_investment_figure(result: Appraisal, lang: str) -> go.Figure:
    """Each option twice: as the budget sees it (annual cost) and as an investment (what it buys a year)."""
    sim = result.simulation
    cur = sim.scenario.currency
    base = sim.plan.baseline
    options = [o for i, o in enumerate(sim.options) if i != base]
    benefit = sim.data["benefit_year_sum"].mean(axis=1) / sim.trials  # freed capacity, attrition [cur/yr]
    cost = result.investment[f"annual cost [{cur}/yr]"]
    avoided = result.investment[f"expected loss avoided [{cur}/yr]"]
    value = [avoided[o] + benefit[sim.options.index(o)] - benefit[base] for o in options]
    fig = go.Figure([
        go.Bar(name=t("expense_view", lang), x=options, y=[-cost[o] for o in options], marker_color="#c0392b",
               hovertext=[money(cost[o], cur, lang) for o in options]),
        go.Bar(name=t("investment_view", lang), x=options, y=value, marker_color="#27ae60",
               hovertext=[money(v, cur, lang) for v in value]),
    ])
    fig.update_layout(barmode="group", title=t("expense_investment_title", lang), height=420, margin={"t": 60},
                      yaxis_title=f"[{cur}/yr]")
    return fig
