"""Investment case: the option comparison of the default scenario.

The full executive page (charts, sentences, both languages) is the app issue's work;
this page already runs the real model on the shipped default scenario.
"""

from __future__ import annotations

import streamlit as st

from riskmodel import DEFAULT_SCENARIO, appraise, load, simulate
from riskmodel.format import money, percent


@st.cache_data(show_spinner="Simulating…")
def _comparison(path: str, trials: int, seed: int):
    result = appraise(simulate(load(path), trials=trials, seed=seed))
    return result.comparison(), result.recommended, result.simulation.scenario.currency, \
        result.simulation.scenario.name


def render() -> None:
    trials = st.sidebar.select_slider("Trials", options=[1_000, 2_000, 5_000, 10_000, 20_000, 50_000], value=2_000)
    seed = st.sidebar.number_input("Seed", min_value=0, value=20221015, step=1)
    table, recommended, currency, name = _comparison(str(DEFAULT_SCENARIO), trials, int(seed))
    st.title("IT resilience as an investment")
    st.caption(f"Scenario: {name} · {trials:,} simulated futures · money in {currency}")
    shown = table.copy()
    for column in shown.columns:
        if f"[{currency}" in column:
            shown[column] = [money(v, currency) for v in table[column]]
        elif column in ("P(NPV > 0)", "ROI"):
            shown[column] = [percent(v) for v in table[column]]
    st.subheader(f"Recommended option: {recommended}")
    st.dataframe(shown.T, use_container_width=True)
