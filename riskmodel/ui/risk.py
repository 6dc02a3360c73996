"""Risk: loss exceedance curves of every option, with the risk tolerance."""

from __future__ import annotations

import streamlit as st

from . import charts, state
from .i18n import t


def render() -> None:
    settings = st.session_state.settings
    result = state.current(settings)
    st.title(t("page_risk", settings.lang))
    st.plotly_chart(charts.exceedance_figure(result, settings.lang), use_container_width=True)
