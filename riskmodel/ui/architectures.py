"""DR architectures: the cost–risk frontier across options."""

from __future__ import annotations

import streamlit as st

from . import charts, state
from .i18n import t


def render() -> None:
    settings = st.session_state.settings
    result = state.current(settings)
    st.title(t("page_architectures", settings.lang))
    st.plotly_chart(charts.frontier_figure(result, settings.lang), use_container_width=True)
