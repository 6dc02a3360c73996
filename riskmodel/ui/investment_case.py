"""Investment case: the recommended option and every option against the status quo."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from riskmodel.format import percent
from riskmodel.narrative import sentences

from . import charts, state
from .tables import money_column
from .i18n import t

ROWS = (  # (text key, comparison column without the currency, kind)
    ("annual_cost", "annual cost [{c}/yr]", "money"),
    ("ale", "ALE [{c}/yr]", "money"),
    ("loss_avoided", "loss avoided [{c}/yr]", "money"),
    ("npv", "NPV mean [{c}]", "money"),
    ("npv_p5", "NPV P5 [{c}]", "money"),
    ("npv_p95", "NPV P95 [{c}]", "money"),
    ("p_npv", "P(NPV > 0)", "share"),
    ("roi", "ROI", "share"),
    ("payback", "payback [yr]", "years"),
    ("loss_20", "1-in-20 loss [{c}]", "money"),
    ("loss_100", "1-in-100 loss [{c}]", "money"),
    ("availability", "availability [%]", "percent"),
)


def comparison_table(result, lang: str) -> pd.DataFrame:
    """The executive table, labelled and formatted in ``lang``."""
    cur = result.simulation.scenario.currency
    table = result.comparison()
    fmt = {
        "money": lambda values: money_column(values, cur, lang),
        "share": lambda values: [percent(v, lang) for v in values],
        "years": lambda values: ["–" if math.isnan(v) else t("years_unit", lang, n=v) for v in values],
        "percent": lambda values: [f"{v:.3f}%" for v in values],
    }
    rows = {t(key, lang): fmt[kind](table[column.format(c=cur)].tolist()) for key, column, kind in ROWS}
    return pd.DataFrame(rows, index=table.index).T


def render() -> None:
    settings = st.session_state.settings
    lang = settings.lang
    result = state.current(settings)
    sim = result.simulation
    st.title(t("app_title", lang))
    st.caption(t("caption", lang, name=sim.scenario.name, trials=sim.trials, years=sim.horizon_years,
                 currency=sim.scenario.currency))
    st.subheader(t("recommended", lang, option=result.recommended))
    st.markdown(" ".join(sentences(result, lang)))
    st.dataframe(comparison_table(result, lang), width="stretch")
    st.plotly_chart(charts.expense_investment_figure(result, lang), width="stretch")
