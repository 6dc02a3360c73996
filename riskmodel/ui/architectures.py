"""DR architectures: the cost–risk frontier, what each architecture is, and each service's tier."""

from __future__ import annotations

import streamlit as st

from riskmodel.present import charts, tables
from riskmodel.present.i18n import t
from riskmodel.ui import state


def render() -> None:
    settings = st.session_state.settings
    lang = settings.lang
    result = state.current(settings)
    st.title(t("page_architectures", lang))
    st.plotly_chart(charts.frontier_figure(result, lang), width="stretch")
    st.subheader(t("arch_table_title", lang))
    st.dataframe(tables.architectures_table(result, lang), width="stretch")
    st.subheader(t("tiers_title", lang))
    st.dataframe(tables.tiers_table(result, lang), width="stretch")
