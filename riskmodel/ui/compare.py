"""Compare: two stored runs side by side, what differs beyond Monte Carlo noise, and the assumptions behind it."""

from __future__ import annotations

import streamlit as st

from riskmodel.present import changes as change_text
from riskmodel.present.i18n import t
from riskmodel.present.markup import markdown_text
from riskmodel.present.names import Names
from riskmodel.ui import state
from riskmodel.workspace import attribution, results


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
    if found:
        _drivers(ws, first, second, names_a, names_b, lang)


def _drivers(ws, first, second, names_a, names_b, lang: str) -> None:
    """What each changed assumption does alone, worked out on request (a run per change)."""
    st.subheader(t("drv_title", lang))
    st.caption(t("drv_caption", lang, trials=f"{min(first.trials, attribution.TRIALS):,}"))
    key = ("drivers", first.id, second.id)
    if st.button(t("drv_button", lang), key="drv_button"):
        texts = [ws.version(r.scenario, r.version).text for r in (first, second)]
        with st.spinner(t("drv_running", lang)):
            st.session_state[key] = _attributed(*texts, first.settings)
    if key in st.session_state:
        found, ale, npv = st.session_state[key]
        decision = second.headline["decision"]
        baseline = state.parsed(ws.version(second.scenario, second.version).text).baseline.name
        option = decision["option"] or next(o for o in second.headline["options"] if o != baseline)
        st.dataframe(change_text.drivers_table(found, ale, npv, baseline, option, names_a, names_b,
                                               second.headline["currency"]), hide_index=True, width="stretch")


@st.cache_data(show_spinner=False, max_entries=16)
def _attributed(before: str, after: str, settings: results.Settings):
    return attribution.drivers(before, after, settings)
