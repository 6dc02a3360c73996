"""Risk: how often and how badly each option loses, where the loss comes from, and per service."""

from __future__ import annotations

import streamlit as st

from riskmodel.present import charts, tables
from riskmodel.present.format import percent
from riskmodel.present.i18n import t
from riskmodel.present.names import Names
from riskmodel.ui import state


def render() -> None:
    settings = st.session_state.settings
    lang = settings.lang
    result = state.current(settings)
    st.title(t("page_risk", lang))
    st.plotly_chart(charts.exceedance_figure(result, lang), width="stretch")
    if result.tolerance is not None:
        st.subheader(t("tolerance_title", lang))
        st.dataframe(tables.tolerance_table(result, lang), width="stretch")
    st.plotly_chart(charts.distribution_figure(result, lang), width="stretch")
    st.subheader(t("risk_table_title", lang))
    st.dataframe(tables.risk_table(result, lang).T, width="stretch")
    st.plotly_chart(charts.downtime_figure(result, lang), width="stretch")
    # Each breakdown the page's width: eight options' names do not fit under half of it.
    st.plotly_chart(charts.components_figure(result, lang), width="stretch")
    st.plotly_chart(charts.threats_figure(result, lang), width="stretch")
    if len(result.simulation.scenario.services) > 1:
        st.header(t("services_header", lang))
        st.plotly_chart(charts.services_figure(result, lang), width="stretch")
        st.markdown(f"**{t('concentration', lang)}**")
        shares = result.concentration.map(lambda v: percent(v, lang)).rename(t("concentration", lang))
        shares.index = Names(result.simulation.scenario, lang).options(shares.index)
        st.dataframe(shares.to_frame().T, width="stretch", hide_index=True)
        if not result.buildings.empty:
            st.subheader(t("buildings_title", lang))
            st.dataframe(tables.buildings_table(result, lang), width="stretch")
