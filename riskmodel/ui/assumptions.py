"""Assumptions: every input of the scenario with its range and its source (read-only for now)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from riskmodel import loads
from riskmodel.simulate import epistemic_inputs

from . import state
from .i18n import t


def inputs_table(scenario, lang: str) -> pd.DataFrame:
    rows = []
    for path, q in epistemic_inputs(scenario).items():
        low, likely, high = q.summary()
        rows.append({t("input", lang): path, t("low", lang): low, t("likely", lang): likely,
                     t("high", lang): high, t("source", lang): q.source or t("no_source", lang)})
    return pd.DataFrame(rows)


def render() -> None:
    settings = st.session_state.settings
    scenario = loads(state.scenario_text(settings.scenario))
    st.title(t("page_assumptions", settings.lang))
    st.dataframe(inputs_table(scenario, settings.lang), use_container_width=True, hide_index=True)
