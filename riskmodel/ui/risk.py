"""Risk: how often and how badly each option loses, where the loss comes from, and per service."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from riskmodel import Appraisal
from riskmodel.format import money, percent

from . import charts, state
from .i18n import t
from .tables import formatted

RISK_COLUMNS = {  # column of Appraisal.risk without the currency → (text key, kind)
    "ALE [{c}/yr]": ("ale", "money"),
    "ALE standard error [{c}/yr]": ("ale_se", "money"),
    "median annual loss [{c}]": ("median_loss", "money"),
    "VaR 95% (1-in-20-year loss) [{c}]": ("loss_20", "money"),
    "TVaR 95% [{c}]": ("tvar_95", "money"),
    "VaR 99% (1-in-100-year loss) [{c}]": ("loss_100", "money"),
    "TVaR 99% [{c}]": ("tvar_99", "money"),
    "P(annual loss > 0) [0-1]": ("p_loss", "share"),
    "expected downtime [h/yr]": ("downtime", "hours"),
    "availability [%]": ("availability", "percent"),
    "nines [-]": ("nines", "number"),
}


def risk_table(result: Appraisal, lang: str):
    cur = result.simulation.scenario.currency
    return formatted(result.risk, {k.format(c=cur): v for k, v in RISK_COLUMNS.items()}, cur, lang)


def tolerance_table(result: Appraisal, lang: str) -> pd.DataFrame:
    """Options × tolerance points: the simulated annual probability, ✗ where it is above the accepted one."""
    cur = result.simulation.scenario.currency
    tol = result.tolerance
    columns = {}
    for loss, ok in result.simulation.scenario.risk_tolerance:
        rows = tol[tol[f"loss [{cur}]"] == loss]
        label = t("tolerance_cell", lang, loss=money(loss, cur, lang), ok=percent(ok, lang))
        columns[label] = [f"{percent(p, lang)} {'✗' if bad else '✓'}"
                          for p, bad in zip(rows["simulated P [0-1]"], rows["breached"])]
    return pd.DataFrame(columns, index=pd.Index(tol.index.unique(), name=t("option", lang)))


def buildings_table(result: Appraisal, lang: str):
    cur = result.simulation.scenario.currency
    return formatted(result.buildings, {
        "threat": ("threat", "text"), "outage [h]": ("outage_hours", "hours"),
        "services down": ("services_down", "text"), f"loss [{cur}]": ("loss", "money")}, cur, lang)


def render() -> None:
    settings = st.session_state.settings
    lang = settings.lang
    result = state.current(settings)
    st.title(t("page_risk", lang))
    st.plotly_chart(charts.exceedance_figure(result, lang), width="stretch")
    if result.tolerance is not None:
        st.subheader(t("tolerance_title", lang))
        st.dataframe(tolerance_table(result, lang), width="stretch")
    st.plotly_chart(charts.distribution_figure(result, lang), width="stretch")
    st.subheader(t("risk_table_title", lang))
    st.dataframe(risk_table(result, lang).T, width="stretch")
    st.plotly_chart(charts.downtime_figure(result, lang), width="stretch")
    left, right = st.columns(2)
    left.plotly_chart(charts.components_figure(result, lang), width="stretch")
    right.plotly_chart(charts.threats_figure(result, lang), width="stretch")
    if len(result.simulation.scenario.services) > 1:
        st.header(t("services_header", lang))
        st.plotly_chart(charts.services_figure(result, lang), width="stretch")
        st.markdown(f"**{t('concentration', lang)}**")
        st.dataframe(result.concentration.map(lambda v: percent(v, lang)).rename(t("concentration", lang))
                     .to_frame().T, width="stretch", hide_index=True)
        if not result.buildings.empty:
            st.subheader(t("buildings_title", lang))
            st.dataframe(buildings_table(result, lang), width="stretch")
