"""Sensitivity: which assumptions decide the answer (tornado, value of information, break-even)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from riskmodel.analysis import sensitivity, tornado
from riskmodel.present import charts, conditions
from riskmodel.present.assumptions import value_shown
from riskmodel.present.format import money
from riskmodel.present.i18n import N_, t
from riskmodel.present.markup import markdown_text
from riskmodel.present.names import Names
from riskmodel.ui import break_even, runs, state

TOP_CHOICES = (5, 8, 10, 15)
BREAK_EVEN_INPUTS = 3
#: What the NPV tornado studies when no option is recommended (Appraisal.argued_for), by decision status.
STUDIED = {"keep": N_("sensitivity_studied_keep"), "none_within": N_("sensitivity_studied_none_within")}


def _tornado(text: str, trials: int, seed: int, horizon: int, rate: float, metric: str, option: str,
             top: int, lang: str) -> pd.DataFrame:
    """The tornado, shared by every session and stopped between its runs like any run (:func:`state.shared`)."""
    def compute(progress) -> pd.DataFrame:
        scenario = state.with_settings(text, horizon, rate)
        total = 2 * top + 2  # the screening run, the base run and two per input
        executor = runs.Checked(lambda done, _: progress(done + 1, total), total)
        return tornado.tornado(scenario, metric, option, trials, seed, executor=executor, top=top,
                                   progress=lambda done, all_: progress(0, total) if done < all_ else None)

    key = ("tornado", text, trials, seed, horizon, rate, metric, option, top)
    return state.shown(lambda: state.shared(key, compute, t("running_tornado", lang, runs=2 * top + 2)))


@st.cache_data(show_spinner=False, max_entries=8)
def _break_even(text: str, trials: int, seed: int, horizon: int, rate: float, path: str, option: str,
                metric: str) -> dict:
    return sensitivity.break_even(state.with_settings(text, horizon, rate), path, option, trials, seed,
                                  metric=metric)


def render() -> None:
    settings = st.session_state.settings
    lang, name = settings.lang, settings.scenario
    text = state.scenario_text(name)
    scenario = state.parsed(text)
    result = state.current(settings)
    cur = scenario.currency
    names = Names(scenario, lang)
    st.title(t("page_sensitivity", lang))
    st.caption(t("sensitivity_caption", lang))
    left, middle, right = st.columns(3)
    metric = left.radio(t("metric", lang), ("npv", "ale"), format_func=lambda m: t(f"metric_{m}", lang),
                        horizontal=True, key="sens_metric")
    # The baseline's NPV against itself is zero in every trial: its tornado would be all zeros.
    options = [o for o in result.simulation.options if metric != "npv" or o != scenario.baseline.name]
    default = result.argued_for if metric == "npv" else scenario.baseline.name
    option = middle.selectbox(t("option", lang), options, index=options.index(default), key=f"sens_option:{metric}",
                              format_func=names.option)
    top = right.select_slider(t("top_inputs", lang), TOP_CHOICES, value=8, key="sens_top")
    # An adaptive run's trials are the ones its answer needed: the tornado's runs use as many.
    trials = settings.trials or result.simulation.trials
    key = (text, trials, settings.seed, settings.horizon, settings.discount_rate)
    table = _tornado(*key, metric, option, top, lang)
    labels = {p: names.input(p) for p in table.index}
    metric_label = t(f"metric_{metric}", lang) + f" · {names.option(option)}"
    st.plotly_chart(charts.tornado_figure(table, labels, cur, lang, metric_label), width="stretch")
    st.caption(t("tornado_note", lang, top=top, trials=trials))
    if metric == "npv" and option == result.argued_for and result.recommended is None:
        # No option is recommended, so say which one the tornado studies and why that one.
        st.info(t(STUDIED[result.decision.status], lang, option=markdown_text(names.option(option))))

    st.subheader(t("evpi_title", lang))
    value = sensitivity.evpi(result.simulation)
    st.metric(t("evpi", lang), money(value, cur, lang), border=True)
    st.markdown(t("evpi_sentence", lang, value=money(value, cur, lang), n=len(options)))

    st.subheader(t("break_even_title", lang))
    if metric != "npv":
        st.info(t("break_even_needs_npv", lang))
        return
    # The studied option's conditions, the very figures of the investment case's card.
    st.markdown(f"**{t('be_title', lang)}**")
    cards = break_even.cards(settings, result, "sens_conditions_button")
    if cards is not None and option in cards:
        st.table(conditions.table({option: cards[option]}, names))
    paths = list(table.index[:BREAK_EVEN_INPUTS])
    if not st.toggle(t("break_even_run", lang, n=len(paths), option=markdown_text(names.option(option))),
                     key="sens_break_even"):
        return
    rows = []
    with st.spinner(t("running_break_even", lang)):
        for path in paths:
            # On the basis the decision uses, as the investment case's card.
            found = _break_even(*key, path, option, "cash_npv" if result.basis == "cash" else "npv")
            lo, hi = found["range"]
            field = path.rsplit(".", 1)[-1]
            rows.append({t("input", lang): labels[path],
                         t("break_even_value", lang): value_shown(found["value"], field, cur, lang)
                         if found["crosses"] else t("no_crossing", lang),
                         t("plausible_range", lang): f"{value_shown(lo, field, cur, lang)} – "
                                                     f"{value_shown(hi, field, cur, lang)}",
                         t("npv_at_range", lang): " → ".join(money(v, cur, lang) for v in found["npv at range"])})
    st.dataframe(pd.DataFrame(rows), width="stretch", hide_index=True)
