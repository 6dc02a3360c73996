"""Compare: two stored runs side by side, what differs beyond Monte Carlo noise, and the assumptions behind it."""

from __future__ import annotations

import streamlit as st

from riskmodel.present import changes as change_text
from riskmodel.present.i18n import t
from riskmodel.present.markup import markdown_text
from riskmodel.present.names import Names
from riskmodel.ui import state
from riskmodel.workspace import results


def render() -> None:
    lang = st.session_state.settings.lang
    st.title(t("page_compare", lang))
    ws = state.workspace()
    with_runs = [s for s in ws.scenarios() if ws.runs(s.ref)]
    if not with_runs:
        st.info(t("cmp_none", lang))
        return
    refs = [s.ref for s in with_runs]
    ref = st.selectbox(t("ws_scenario", lang), refs, key="cmp_scenario")
    runs = ws.runs(ref)
    if len(runs) < 2:
        st.info(t("cmp_one", lang))
        return
    ids = [r.id for r in runs]
    by_id = {r.id: r for r in runs}
    left, right = st.columns(2)
    a = left.selectbox(t("cmp_a", lang), ids, index=1, format_func=lambda i: change_text.run_name(by_id[i], lang),
                       key="cmp_a")
    b = right.selectbox(t("cmp_b", lang), ids, index=0, format_func=lambda i: change_text.run_name(by_id[i], lang),
                        key="cmp_b")
    first, second, table, found = ws.compare(a, b)
    names_a, names_b = (Names(state.parsed(ws.version(r.scenario, r.version).text), lang) for r in (first, second))
    shown = change_text.comparison_table(table, names_b, second.headline["currency"])
    beyond = int(table["beyond_noise"].sum()) if len(table) else 0
    st.markdown(t("ws_beyond", lang, n=beyond, total=len(table), z=f"{results.NOISE_Z:g}"))
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption(t("cmp_se_note", lang))
    st.subheader(t("ws_changed", lang))
    st.markdown("\n".join(f"- {markdown_text(line)}" for line in change_text.describe_all(found, names_a, names_b)))
